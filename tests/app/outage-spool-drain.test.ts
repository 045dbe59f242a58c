import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/infra/logging/logger.js';
import { FileSpool } from '../../src/app/spool/file-spool.js';
import { OutageSpool, PermanentSpoolError, type SpoolItem } from '../../src/app/spool/outage-spool.js';

describe('the outage spool drains in the background', () => {
  let dir: string;
  let spool: OutageSpool;
  const redis = new EventEmitter();
  const logs: Record<string, unknown>[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ivr-sim-outage-'));
    logs.length = 0;
    const logger = createLogger('info', { write: (s: string) => void logs.push(JSON.parse(s) as Record<string, unknown>) });
    spool = new OutageSpool(await FileSpool.open<SpoolItem>(join(dir, 'a.jsonl')), logger, 20, redis);
  });
  afterEach(async () => {
    await spool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tries again until Redis takes the items, then applies them in order', async () => {
    let up = false;
    const applied: number[] = [];
    spool.register('n', async (d) => {
      if (!up) throw new Error('ECONNREFUSED');
      applied.push(d as number);
    });
    spool.start();
    for (const n of [1, 2, 3]) await spool.add('n', n);
    await new Promise((r) => setTimeout(r, 100));
    expect(applied).toEqual([]);
    expect(spool.waiting).toBe(3);
    expect(logs.filter((l) => l['msg'] === 'spool: Redis cannot take the waiting items yet; retrying')).toHaveLength(1);
    up = true;
    await vi.waitFor(() => expect(applied).toEqual([1, 2, 3]), { timeout: 2000, interval: 10 });
    expect(spool.isEmpty).toBe(true);
  });

  it('drains at once when the Redis client reconnects', async () => {
    const slow = new OutageSpool(await FileSpool.open<SpoolItem>(join(dir, 'b.jsonl')), createLogger('silent'), 60_000, redis);
    let up = false;
    const applied: string[] = [];
    slow.register('s', async (d) => {
      if (!up) throw new Error('ECONNREFUSED');
      applied.push(d as string);
    });
    slow.start();
    await slow.add('s', 'stop');
    await slow.drain();
    up = true;
    redis.emit('ready');
    await vi.waitFor(() => expect(applied).toEqual(['stop']), { timeout: 1000, interval: 10 });
    await slow.close();
  });

  it('sets aside an item that can never be applied and goes on with the next', async () => {
    const applied: string[] = [];
    spool.register('call', async (d) => {
      if (d === 'gone') throw new PermanentSpoolError('no state for this call');
      applied.push(d as string);
    });
    spool.start();
    await spool.add('call', 'gone');
    await spool.add('nobody-handles-this', 'x');
    await spool.add('call', 'kept');
    await vi.waitFor(() => expect(applied).toEqual(['kept']), { timeout: 1000, interval: 10 });
    const aside = readFileSync(join(dir, 'a.jsonl.rejected'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { reason: string; value: SpoolItem });
    expect(aside.map((a) => [a.value.kind, a.reason])).toEqual([
      ['call', 'no state for this call'],
      ['nobody-handles-this', 'no handler for spooled items of kind "nobody-handles-this"'],
    ]);
  });
});
