import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { copyConfig } from '../helpers/config-copy.js';
import { describeDelta, kpiDelta } from '../../src/core/replay/report-delta.js';
import type { KpiRow } from '../../src/core/replay/replay-report.js';
import { scratch } from '../helpers/trace-files.js';

async function cli(...argv: string[]) {
  const io = bufferIO();
  const code = await runCli(argv, io);
  expect(io.stderr).toBe('');
  expect(code).toBe(0);
  return io.stdout;
}

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const DIAMOND = '+8613800000001';
const line = (i: number, extra: object = {}) => ({ callId: `c-${i}`, arrivalSec: 10 * 3600 + i * 10, caller: DIAMOND, keys: '0', talkSec: 120, ...extra });

/** The cells of the first line starting with `name` (cells are apart by two spaces or more). */
function row(out: string, name: string): string[] {
  const r = out.split('\n').find((l) => l.startsWith(`${name} `));
  expect(r, `a row for ${name}`).toBeDefined();
  return r!.slice(name.length).trim().split(/\s{2,}/);
}

describe('the replay table', () => {
  it('has a column for callers who hung up in the IVR, so that self-served + handed off + hung up = calls on every row', async () => {
    const trace = tmp.file('t.jsonl', [line(0), line(1, { keys: '1,9' }), line(2, { keys: '', hangupInIvrSec: 3 }), line(3, { keys: '', hangupInIvrSec: 2 })]);
    const out = await cli('replay', trace);
    const header = out.split('\n').find((l) => l.trimStart().startsWith('calls'))!;
    expect(header.trim().split(/\s{2,}/).slice(0, 5)).toEqual(['calls', 'self', 'handed', 'hung up', 'answered']);
    expect(row(out, 'overall').slice(0, 4)).toEqual(['4', '1', '1', '2']);
    expect(row(out, 'vip-diamond').slice(0, 4)).toEqual(['4', '1', '1', '2']);
    expect(out).toContain('hung up = hung up in the IVR');
  });

  it('shows what the contact policy did with the SMS: sent, deferred and suppressed by reason, overall and per template', async () => {
    // The same customer asks for their data usage four times in a day: the template cap lets one through.
    const trace = tmp.file('t.jsonl', [0, 1, 2, 3].map((i) => line(i, { keys: '1,9' })));
    const out = await cli('replay', trace);
    expect(out).toMatch(/SMS contact policy [0-9a-f]+: 4 requested, 1 sent, 3 suppressed \(template-cap 3\); 0 deferred/);
    expect(row(out, 'data-usage-summary')).toEqual(['4', '1', '0', '3', 'template-cap 3']);
    expect(out).toContain('SMS requested by the rules, by template: data-usage-summary 4');
  });

  it('says nothing of a contact policy when the rules have none', async () => {
    const copy = copyConfig();
    try {
      rmSync(`${copy.paths.rulesDir}/contact-policy.json`);
      const out = await cli('replay', tmp.file('t.jsonl', [line(0, { keys: '1,9' })]), '--rules', copy.paths.rulesDir);
      expect(out).not.toContain('SMS contact policy');
      expect(out).toContain('SMS requested by the rules, by template: data-usage-summary 1');
    } finally {
      copy.remove();
    }
  });

  it('adds a table per day for a trace of several days, marking days the trace covers only in part', async () => {
    const trace = tmp.file('t.jsonl', [
      { callId: 'a', arrivalTime: '2025-03-03T22:00:00+08:00', caller: DIAMOND, keys: '0', talkSec: 60 },
      { callId: 'b', arrivalTime: '2025-03-04T09:00:00+08:00', caller: DIAMOND, keys: '', hangupInIvrSec: 2, talkSec: 60 },
      { callId: 'c', arrivalTime: '2025-03-04T10:00:00+08:00', caller: DIAMOND, keys: '0', talkSec: 60 },
    ]);
    const out = await cli('replay', trace);
    expect(out).toContain('by day (2025-03-03 22:00 to 2025-03-04 10:01;');
    expect(row(out, '2025-03-03 (part)').slice(0, 4)).toEqual(['1', '0', '1', '0']);
    expect(row(out, '2025-03-04 (part)').slice(0, 4)).toEqual(['2', '0', '1', '1']);
    const single = await cli('replay', tmp.file('one.jsonl', [line(0)]));
    expect(single).not.toContain('by day');
  });
});

describe('ivr-sim compare', () => {
  it('reports the change in IVR hang-ups and in what the contact policy sends', async () => {
    const copy = copyConfig();
    try {
      // The candidate lets every template through up to three times a day.
      copy.edit('rules/contact-policy.json', (f) => {
        f.classes.service.perTemplate.max = 3;
      });
      const trace = tmp.file('t.jsonl', [0, 1, 2, 3].map((i) => line(i, { keys: '1,9' })));
      const out = await cli('compare', trace, '--baseline', '.', '--candidate', copy.dir);
      expect(out).toContain('SMS (contact policy): requested 4 → 4, sent 1 → 3 (+2), suppressed 3 → 1 (−2) [template-cap −2], deferred 0 → 0');
      const j = JSON.parse(await cli('compare', trace, '--baseline', '.', '--candidate', copy.dir, '--json'));
      expect(j.delta.contactPolicy).toEqual({ requested: 0, sent: 2, deferred: 0, suppressed: { 'template-cap': -2 } });
      expect(j.delta.overall).toMatchObject({ hungUpInIvr: 0, handedOff: 0 });
      expect(j.baseline.overall.byDay).toHaveLength(1);
      expect(j.baseline.overall.byTimeOfDay).toBeUndefined();
    } finally {
      copy.remove();
    }
  });
});

describe('a delta in words', () => {
  it('says how many more (or fewer) callers hung up in the IVR, and nothing when as many did', () => {
    const row = (hungUpInIvr: number, selfServed: number): KpiRow => ({
      calls: 10, selfServed, handedOff: 10 - selfServed - hungUpInIvr, hungUpInIvr, offered: 0, answered: 0, abandoned: 0, unanswered: 0, answeredWithinThreshold: 0,
      serviceLevel: null, asaSec: null, ahtSec: null, abandonRate: null, containmentRate: null, occupancy: null, avgIvrSec: null, hotKeys: {}, sms: {}, tags: {},
    });
    expect(kpiDelta(row(1, 4), row(3, 4))).toMatchObject({ hungUpInIvr: 2, handedOff: -2, selfServed: 0 });
    expect(describeDelta(kpiDelta(row(1, 4), row(3, 4)), 30)).toBe('hung up in the IVR +2');
    expect(describeDelta(kpiDelta(row(3, 4), row(1, 4)), 30)).toBe('hung up in the IVR −2');
    expect(describeDelta(kpiDelta(row(1, 4), row(1, 5)), 30)).toBe('');
  });
});
