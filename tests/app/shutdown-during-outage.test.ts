import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { SMS_QUEUE_NAME } from '../../src/infra/sms/sms-queue.js';
import { startService } from './harness.js';
import { RedisLink } from './redis-link.js';

describe('Closing the service while Redis is unreachable', () => {
  it('closes cleanly: no error logged, and no connection left reconnecting and printing unhandled errors', async () => {
    const link = new RedisLink();
    await link.open();
    const h = await startService('shutdown-outage', { REDIS_URL: `redis://127.0.0.1:${link.port}` });
    await h.app.get<Queue>(getQueueToken(SMS_QUEUE_NAME)).waitUntilReady();
    await link.cut();
    await vi.waitFor(() => expect(h.logs.map((l) => l.msg)).toContain('SMS queue: redis unreachable; call SMS are not queued until it is back'), { timeout: 5_000 });

    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = h.logs.length;
    try {
      await h.close();
      // A connection still trying would fail again, and print, within this time (back-off 1 s, then e^n ms).
      await new Promise((resolve) => setTimeout(resolve, 4_000));
    } finally {
      printed.mockRestore();
    }
    expect(printed.mock.calls.map((args) => args.map(String).join(' '))).toEqual([]);
    expect(h.logs.slice(before).filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
  }, 20_000);
});
