import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkQueueBehaviour } from '../../src/core/behaviour/queue-behaviour.js';
import { checkStaffing } from '../../src/core/staffing/staffing-file.js';
import { readTrace } from '../../src/core/trace/trace-reader.js';
import { checkAgainstTraceSchema } from '../../src/core/trace/trace-schemas.js';
import { cli } from '../helpers/cli.js';
import { scratch } from '../helpers/trace-files.js';
import { synthesiseAcdLog, writeAcdCsv } from './synthetic-acd-log.js';
import { CENTRE } from './synthetic-centre.js';

const tmp = scratch();
let twoDays: string;
let oneDay: string;

beforeAll(() => {
  twoDays = join(tmp.dir, 'two-days.csv');
  writeAcdCsv(twoDays, synthesiseAcdLog({ ...CENTRE, days: 2 }).rows);
  oneDay = join(tmp.dir, 'one-day.csv');
  writeAcdCsv(oneDay, synthesiseAcdLog({ ...CENTRE, days: 1, seed: 11 }).rows);
});
afterAll(() => tmp.remove());

const json = <T = Record<string, unknown>>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('ivr-sim calibrate LOG --out DIR', () => {
  it('writes a scenario the replayer reads as is: trace, staffing, behaviour, calibration.json and calibration.html', async () => {
    const out = join(tmp.dir, 'one');
    const r = await cli('calibrate', oneDay, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/calibrated \d+ calls, 1 day \(2026-03-02\), queues billing, general/);
    expect(r.out).toMatch(/patience general: \d+ abandoned of \d+; tail exponential/);
    const staffing = checkStaffing(json(join(out, 'staffing.json')), 'staffing.json').staffing;
    expect(staffing.groups.map((g) => [g.id, g.skills])).toEqual([['billing_general', { billing: 1, general: 1 }]]);
    expect(staffing.intervalMin).toBe(30);
    const behaviour = checkQueueBehaviour(json(join(out, 'behaviour.json')), 'behaviour.json');
    expect(behaviour.patience?.default.kind).toBe('kaplanMeier');
    expect(Object.keys(behaviour.patience?.byQueue ?? {})).toEqual(['billing', 'general']);
    expect(behaviour.retrials?.probability).toBeGreaterThan(0.15);
    const reader = readTrace(join(out, 'trace.jsonl'), { queues: new Set(['billing', 'general']) });
    const lines = [];
    for await (const call of reader) lines.push(call);
    expect(lines.length).toBe(reader.stats().read);
    expect(lines.every((l) => l.patienceSec === undefined && l.queue !== undefined && l.talkSec > 0)).toBe(true);
    expect(lines.filter((l) => (l as { retryOf?: string }).retryOf !== undefined).length).toBeGreaterThan(50);
    const cal = json<{ fallbacks: unknown[]; talk: Record<string, { lognormal: { meanSec: object } }>; patience: { pooled: { tail: object } } }>(join(out, 'calibration.json'));
    expect(cal.fallbacks).toEqual([]);
    expect(cal.talk['general']!.lognormal.meanSec).toMatchObject({ value: expect.any(Number), ciLow: expect.any(Number), ciHigh: expect.any(Number), n: expect.any(Number) });
    const profile = json<{ hours: number[] }>(join(out, 'day-profile.json'));
    expect(checkAgainstTraceSchema('day-profile', profile)).toEqual([]);
    expect(profile.hours.reduce((a, b) => a + b, 0)).toBe(reader.stats().calls);
    const html = readFileSync(join(out, 'calibration.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Kaplan–Meier');
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it('with several days: each day\'s own trace and staffing under days/<date>/, the top level on their mean staffing', async () => {
    const out = join(tmp.dir, 'two');
    const r = await cli('calibrate', twoDays, '--out', out, '--interval', '60');
    expect(r.code).toBe(0);
    for (const d of ['2026-03-02', '2026-03-03']) {
      for (const f of ['trace.jsonl', 'staffing.json', 'behaviour.json']) expect(existsSync(join(out, 'days', d, f)), `${d}/${f}`).toBe(true);
      expect(checkStaffing(json(join(out, 'days', d, 'staffing.json')), 'x').staffing.intervalMin).toBe(60);
    }
    expect(checkStaffing(json(join(out, 'staffing.json')), 'x').staffing.groups).toHaveLength(1);
  });

  it('--day takes one day of the log', async () => {
    const out = join(tmp.dir, 'day');
    const r = await cli('calibrate', twoDays, '--out', out, '--day', '2026-03-03');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 day \(2026-03-03\)/);
    expect(existsSync(join(out, 'days'))).toBe(false);
  });

  it('a log too small for an estimate says which and why, and names the fallback in calibration.json', async () => {
    const small = tmp.file('small.csv', [
      'callId,queue,arrivalTime,waitSec,outcome,talkSec,agentId',
      'c1,general,2026-03-02T09:00:00+08:00,0,answered,200,a1',
      'c2,general,2026-03-02T09:01:00+08:00,20,abandoned,,',
      'c3,vip,2026-03-02T09:02:00+08:00,5,answered,100,a2',
    ]);
    const out = join(tmp.dir, 'small');
    const r = await cli('calibrate', small, '--out', out);
    expect(r.code).toBe(0);
    expect(r.err).toContain('note: retrials: no abandoned call has a customerId');
    expect(r.err).toContain('note: patience of vip: only 0 abandoned calls (fewer than 30); using the pooled patience of all queues');
    const cal = json<{ fallbacks: { estimate: string }[] }>(join(out, 'calibration.json'));
    expect(cal.fallbacks.map((f) => f.estimate)).toEqual(expect.arrayContaining(['talk time of general', 'patience of general', 'patience of vip', 'retrials']));
  });

  it('bad rows fail the run with exit 1, naming the file, line, field and the count per reason; nothing is written', async () => {
    const bad = tmp.file('bad.csv', ['callId,queue,arrivalTime,waitSec,outcome,talkSec,agentId', 'c1,general,2026-03-02T09:00:00+08:00,-2,answered,200,a1', 'c2,general,2026-03-02T09:01:00+08:00,1,answered,20,a1']);
    const out = join(tmp.dir, 'bad-out');
    const r = await cli('calibrate', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toContain('negativeWait: 1 row (line 2)');
    expect(r.err).toMatch(/bad\.csv:2 at \/waitSec: waitSec is -2/);
    expect(existsSync(out)).toBe(false);
    const skipped = await cli('calibrate', bad, '--out', out, '--on-error', 'skip');
    expect(skipped.code).toBe(0);
    expect(skipped.err).toContain('rows left out, per reason:\n  negativeWait: 1 row (line 2)');
  });

  it('usage mistakes exit 2', async () => {
    expect((await cli('calibrate', oneDay)).err).toMatch(/give --out DIR .* or --backtest/);
    expect((await cli('calibrate', oneDay, '--out', join(tmp.dir, 'u'), '--columns', 'when=q_start')).code).toBe(2);
    expect((await cli('calibrate', oneDay, '--out', join(tmp.dir, 'u'), '--timezone', 'Mars/Olympus')).code).toBe(2);
    expect((await cli('calibrate', oneDay, '--out', join(tmp.dir, 'u'), '--interval', '20')).code).toBe(2);
  });
});
