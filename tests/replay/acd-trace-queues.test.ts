import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const TEN = 10 * 3600;
/** ACD-level calls at 10:00, a minute apart, straight into `queue`. */
const acd = (queue: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ callId: `${queue}-${from + i}`, arrivalSec: TEN + (from + i) * 60, queue, talkSec: 120 }));
const DIAMOND = '+8613800000001';

function oneQueueStaffing(): string {
  const doc = { serviceLevel: { target: 0.8, thresholdSec: 30 }, queues: [{ id: 'general' }], groups: [{ id: 'floor', skills: { general: 1 }, agents: 3 }] };
  return tmp.file('one-queue.json', [doc]);
}

describe('a trace of ACD-level lines', () => {
  it('needs only the queues it names: a one-queue staffing file replays it', async () => {
    const r = await cli('replay', tmp.file('t.jsonl', acd('general', 6)), '--json', '--staffing', oneQueueStaffing());
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ calls: 6, answered: 6, warnings: [] });
  });

  it('and staff plans it with that file', async () => {
    const plan = join(tmp.dir, 'plan.json');
    const r = await cli('staff', tmp.file('t.jsonl', acd('general', 30)), '--staffing', oneQueueStaffing(), '--out', plan);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(plan, 'utf8')).queues).toEqual([{ id: 'general' }]);
  });

  it('mixed with calls through the IVR, still needs every queue the routing rules name', async () => {
    const trace = tmp.file('t.jsonl', [...acd('general', 2), { callId: 'ivr-1', arrivalSec: TEN + 300, caller: DIAMOND, keys: '0', talkSec: 60 }]);
    const r = await cli('replay', trace, '--staffing', oneQueueStaffing());
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('call ivr-1 goes through the IVR (its line has no "queue"), but the routing rules name queues the staffing file lacks');
    expect(r.err).toContain('at /rules/0/event/params/queue: queue "vip-diamond" is not in the staffing file; queues: general');
    expect((await cli('staff', trace, '--staffing', oneQueueStaffing())).code).toBe(1);
  });
});
