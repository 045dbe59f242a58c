import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AgentEventsService } from '../../src/app/screen-pop/agent-events.service.js';
import { RedisScreenPopStreams } from '../../src/app/screen-pop/redis-screen-pop-streams.js';
import { DEFAULT_SCREEN_POP_SETTINGS } from '../../src/app/screen-pop/screen-pop-settings.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import type { ScreenPop } from '../../src/core/screen-pop/screen-pop.js';
import { REDIS_URL } from '../app/harness.js';
import { json, openSse } from './sse-client.js';
import { callSid } from '../helpers/twilio.js';

/** A pop as the publisher would write it; only the fields these specs read matter. */
function pop(callSid: string, queue: string): ScreenPop {
  return {
    format: 1,
    callSid,
    queue,
    priority: 10,
    overflow: [],
    segment: 'standard',
    tags: [],
    customer: {
      phone: '+86139****0000', known: false, name: null, title: null, segment: 'standard', vipLevel: null, plan: null, network: null,
      dataUsedPct: null, balance: null, tenureMonths: null, calls24h: null, calls7d: null, complaints90d: null, areaOutage: null, region: null, language: 'zh-CN',
    },
    ivr: null,
    fault: null,
    configVersion: null,
    at: '2025-06-02T08:30:00.000Z',
  };
}

/**
 * The event stream on its own, over a plain HTTP server and a real Redis, with a heartbeat
 * short enough to see one.
 */
describe('the screen-pop event stream', () => {
  const prefix = `test:event-stream:${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let streams: RedisScreenPopStreams;
  let service: AgentEventsService;
  let server: Server;

  const readers = async () => String(await redis.client('LIST')).split('\n').filter((l: string) => l.includes(`name=${prefix}screen-pop-reader`)).length;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    streams = new RedisScreenPopStreams(redis, prefix, 100);
    service = new AgentEventsService(streams, { ...DEFAULT_SCREEN_POP_SETTINGS, heartbeatMs: 20, retryMs: 1500 }, createLogger('silent'));
    server = createServer((req, res) => {
      const queues = new URL(req.url!, 'http://x').searchParams.get('queues')!;
      void service.forAgent('desk-1', queues).then((sub) => service.stream(sub, req.headers['last-event-id'] as string | undefined, { raw: res, hijack: () => undefined }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    service.onModuleDestroy();
    await new Promise((r) => server.close(r));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('sends heartbeats while no call comes, and tells EventSource when to reconnect', async () => {
    const c = await openSse(server, '/?queues=quiet');
    await c.next('ready');
    expect(c.retryMs).toBe(1500);
    await vi.waitFor(() => expect(c.comments).toContain('heartbeat'));
    c.close();
  });

  it('gives each desktop a Redis reader of its own and closes it when the desktop goes away', async () => {
    const c = await openSse(server, '/?queues=vip');
    await c.next('ready');
    await vi.waitFor(async () => expect(await readers()).toBe(1));
    c.close();
    await vi.waitFor(async () => expect(await readers()).toBe(0));
  });

  it('ends every open stream when the service stops, so the server can close', async () => {
    const c = await openSse(server, '/?queues=vip');
    await c.next('ready');
    service.onModuleDestroy();
    await c.ended;
    await vi.waitFor(async () => expect(await readers()).toBe(0));
  });

  it('skips an entry that is not a screen pop and goes on with the next', async () => {
    const c = await openSse(server, '/?queues=mixed');
    await c.next('ready');
    await redis.xadd(`${prefix}screen-pop:mixed`, '*', 'pop', 'not json');
    await streams.publish(pop(callSid(1), 'mixed'));
    const e = await c.next('screen-pop');
    expect(json<ScreenPop>(e).callSid).toBe(callSid(1));
    c.close();
  });

  it('keeps each queue stream capped', async () => {
    for (let i = 0; i < 450; i++) await streams.publish(pop(callSid(100 + i), 'busy'));
    // Trimmed in whole stream nodes (MAXLEN ~), so within one node of the cap.
    expect(await redis.xlen(`${prefix}screen-pop:busy`)).toBeLessThanOrEqual(200);
  });
});
