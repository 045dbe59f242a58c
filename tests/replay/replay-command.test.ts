import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { copyConfig } from '../helpers/config-copy.js';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const DIAMOND = '+8613800000001';
const line = (i: number, extra: object = {}) => ({ callId: `c-${i}`, arrivalSec: 8 * 3600 + i * 10, caller: DIAMOND, keys: '0', talkSec: 120, ...extra });

describe('ivr-sim replay', () => {
  it('accounts for every call: self-served + handed off + hung up = calls, answered + abandoned = handed off', async () => {
    const trace = tmp.file('t.jsonl', [
      line(0),
      line(1, { keys: '1,9' }),
      line(2, { keys: '', hangupInIvrSec: 3 }),
      line(3, { caller: '+8613000000000', keys: '0', patienceSec: 1 }),
      { callId: 'c-4', arrivalSec: 8 * 3600 + 40, queue: 'general', talkSec: 60 },
    ]);
    const r = await cli('replay', trace, '--json');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as ReplayReport;
    expect(rep).toMatchObject({ calls: 5, selfServed: 1, hungUpInIvr: 1, handedOff: 3 });
    expect(rep.answered + rep.abandoned + rep.unanswered).toBe(rep.handedOff);
    expect(rep.input).toEqual({ lines: 5, calls: 5, skipped: 0, skippedByReason: {}, blank: 0 });
    expect(Object.keys(rep.bySegment).sort()).toEqual(['direct', 'standard', 'vip-diamond']);
    expect(rep.byQueue['vip-diamond']!.handedOff).toBe(1);
    expect(rep.byInterval.length).toBeGreaterThan(0);
    expect(rep.sms).toEqual({ 'data-usage-summary': 1 });
  });

  it('an ACD-level line goes straight to its queue, bypassing IVR and rules', async () => {
    const trace = tmp.file('t.jsonl', [{ callId: 'acd-1', arrivalSec: 36000, queue: 'tech', priority: 70, talkSec: 30 }]);
    const rep = JSON.parse((await cli('replay', trace, '--json')).out) as ReplayReport;
    expect(rep.byQueue['tech']).toMatchObject({ calls: 1, handedOff: 1, answered: 1, avgIvrSec: 0 });
    expect(rep.bySegment['direct']).toMatchObject({ calls: 1 });
  });

  it('is deterministic: the same trace, scenario and seed give a byte-identical report', async () => {
    const trace = tmp.file('t.jsonl', Array.from({ length: 200 }, (_, i) => line(i, { keys: i % 3 ? '1,9' : '0', patienceSec: 40 })));
    const a = await cli('replay', trace, '--json', '--seed', '7');
    const b = await cli('replay', trace, '--json', '--seed', '7');
    expect(a.out).toBe(b.out);
    // The seed picks which rolling promotion each caller hears, which moves IVR time.
    const c = await cli('replay', trace, '--json', '--seed', '8');
    expect(JSON.parse(c.out).avgIvrSec).not.toBe(JSON.parse(a.out).avgIvrSec);
  });

  it('--staff replaces the staffing with dedicated agents per queue', async () => {
    const trace = tmp.file('t.jsonl', Array.from({ length: 30 }, (_, i) => line(i, { arrivalSec: 9 * 3600 + i, talkSec: 600, patienceSec: 30 })));
    // Diamond calls overflow to vip and general, so those are emptied too: only the listed agents answer.
    const one = JSON.parse((await cli('replay', trace, '--json', '--staff', 'vip-diamond=1,vip=0,general=0')).out) as ReplayReport;
    const many = JSON.parse((await cli('replay', trace, '--json', '--staff', 'vip-diamond=30,vip=0,general=0')).out) as ReplayReport;
    expect(one.abandoned).toBeGreaterThan(20);
    expect(many.abandoned).toBe(0);
    expect(many.serviceLevel).toBe(1);
    expect(one.scenario.staffing).toContain('--staff vip-diamond=1');
    expect((await cli('replay', trace, '--staff', 'platinum=3')).code).toBe(2);
  });

  it('--out writes report.json and a self-contained report.html with charts', async () => {
    const trace = tmp.file('t.jsonl', Array.from({ length: 50 }, (_, i) => line(i)));
    const out = join(tmp.dir, 'out');
    expect((await cli('replay', trace, '--out', out)).code).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ReplayReport;
    expect(json.calls).toBe(50);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)?.length).toBe(3);
    expect(html).toContain('Service level per interval');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing fetched from the network
  });

  it('prints a readable table by default', async () => {
    const trace = tmp.file('t.jsonl', [line(0), line(1)]);
    const r = await cli('replay', trace);
    expect(r.out).toMatch(/overall\s+2\s+0\s+2\s+0\s+2\s+0\s+100\.0%/);
    expect(r.out).toContain('SL = answered within 30 s ÷ (answered + abandoned)');
  });
});

describe('bad trace input', () => {
  it('stops at a malformed line, naming line and field, and writes nothing', async () => {
    const out = join(tmp.dir, 'out');
    const trace = tmp.file('t.jsonl', [line(0), { callId: 'c-1', arrivalSec: 'soon', caller: DIAMOND, talkSec: 5 }, line(2)]);
    const r = await cli('replay', trace, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('t.jsonl:2 at /arrivalSec: must be a number (got "soon")');
    expect(existsSync(out)).toBe(false);
  });

  it('--on-error skip leaves bad lines out and counts them', async () => {
    const trace = tmp.file('t.jsonl', [line(0), '{not json', line(2), { callId: 'c-3', arrivalSec: 9e4, talkSec: 5, queue: 'nowhere' }]);
    const rep = JSON.parse((await cli('replay', trace, '--json', '--on-error', 'skip')).out) as ReplayReport;
    expect(rep.calls).toBe(2);
    expect(rep.input.skipped).toBe(2);
    expect(rep.input.lines).toBe(rep.input.calls + rep.input.skipped);
    expect(rep.input.skippedByReason).toEqual({ syntax: 1, unknownQueue: 1 });
  });

  it('refuses out-of-order arrivals unless asked to sort', async () => {
    const trace = tmp.file('t.jsonl', [line(5), line(1)]);
    const r = await cli('replay', trace);
    expect(r.code).toBe(1);
    expect(r.err).toContain('t.jsonl:2 at /arrivalSec: arrives at 28810 s, before the call on line 1');
    const sorted = JSON.parse((await cli('replay', trace, '--json', '--sort')).out) as ReplayReport;
    expect(sorted.calls).toBe(2);
  });

  it('rejects a scenario whose routes name queues the staffing file lacks', async () => {
    const copy = copyConfig();
    try {
      copy.edit('rules/routing.json', (f) => (f.rules[0].event.params.queue = 'vip-platinum'));
      const trace = tmp.file('t.jsonl', [line(0)]);
      const r = await cli('replay', trace, '--rules', copy.paths.rulesDir);
      expect(r.code).toBe(1);
      expect(r.err).toContain('at /rules/0/event/params/queue: queue "vip-platinum" is not in the staffing file');
    } finally {
      copy.remove();
    }
  });
});

describe('ivr-sim compare', () => {
  it('reports no difference between a configuration and itself', async () => {
    const trace = tmp.file('t.jsonl', Array.from({ length: 40 }, (_, i) => line(i, { caller: `+86138${String(i + 1).padStart(8, '0')}` })));
    const r = JSON.parse((await cli('compare', trace, '--baseline', '.', '--candidate', '.', '--json')).out);
    expect(r.decisions.different).toBe(0);
    expect(r.delta.overall.serviceLevelPp).toBe(0);
  });

  it('finds the calls a rule change decides differently, and the effect on the numbers', async () => {
    const copy = copyConfig();
    try {
      // Raise the 4G ARPU floor: some 4G customers become standard.
      copy.edit('rules/segments.json', (f) => (f.rules.find((r: { name: string }) => r.name === '4g-customer').conditions.all[1].value = 1000));
      const trace = tmp.file('t.jsonl', Array.from({ length: 323 }, (_, i) => line(i, { caller: `+86138${String(i + 1).padStart(8, '0')}` })));
      const r = await cli('compare', trace, '--baseline', '.', '--candidate', copy.dir);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/decided differently: \d+ of 323 calls \(segment \d+, queue \d+, priority \d+/);
      expect(r.out).toMatch(/ {2}4g: calls −\d+/);
      const j = JSON.parse((await cli('compare', trace, '--baseline', '.', '--candidate', copy.dir, '--json')).out);
      expect(j.decisions.byKind.segment).toBe(j.decisions.different);
      expect(j.delta.bySegment['4g'].calls).toBeLessThan(0);
      expect(j.score).toHaveLength(2);
    } finally {
      copy.remove();
    }
  });
});

describe('ivr-sim staff', () => {
  it('writes a staffing file from the trace that a replay then meets', async () => {
    const trace = tmp.file(
      't.jsonl',
      Array.from({ length: 600 }, (_, i) => ({ callId: `s-${i}`, arrivalSec: 9 * 3600 + i * 6, queue: 'general', talkSec: 120 + (i % 7) * 20 })),
    );
    const file = join(tmp.dir, 'staffing.json');
    const r = await cli('staff', trace, '--target-sl', '0.8', '--threshold', '30', '--out', file);
    expect(r.code).toBe(0);
    const staffing = JSON.parse(readFileSync(file, 'utf8'));
    expect(staffing.serviceLevel).toEqual({ target: 0.8, thresholdSec: 30 });
    const rep = JSON.parse((await cli('replay', trace, '--staffing', file, '--json')).out) as ReplayReport;
    expect(rep.serviceLevel).toBeGreaterThan(0.7);
  });
});
