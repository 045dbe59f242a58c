import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_FIELDS, type CallTransition, type ChangedCall } from '../../src/core/replay/changed-calls.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

const SAMPLE = 'data/traces/sample.jsonl';

let tmp: ReturnType<typeof scratch>;
let fourG: ConfigCopy;
/** compare --json of the sample day, shipped configuration against the 4G overflow after 15 s. */
let json: { changedCalls: { count: number; transitions: CallTransition[] }; delta: { overall: { abandoned: number; answered: number; calls: number } }; decisions: { different: number } };
let text: string;
let lines: ChangedCall[];
let outDir: string;

beforeAll(async () => {
  tmp = scratch();
  fourG = copyConfig();
  fourG.edit('rules/routing.json', (f) => {
    const step = f.rules.find((r: { name: string }) => r.name === '4g-desk').event.params.overflow[0];
    expect(step).toEqual({ afterSec: 60, queue: 'general' });
    step.afterSec = 15;
  });
  const callsOut = join(tmp.dir, 'changed.jsonl');
  outDir = join(tmp.dir, 'report');
  const j = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', fourG.dir, '--json');
  expect(j.code).toBe(0);
  json = JSON.parse(j.out);
  const t = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', fourG.dir, '--calls-out', callsOut, '--out', outDir);
  expect(t.code).toBe(0);
  text = t.out;
  lines = readFileSync(callsOut, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}, 60_000);

afterAll(() => {
  fourG?.remove();
  tmp?.remove();
});

const transition = (field: string, from: string, to: string) => json.changedCalls.transitions.find((t) => t.field === field && t.from === from && t.to === to);

describe('compare, call by call', () => {
  it('finds no changed call between a configuration and itself', async () => {
    const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', '.', '--json');
    expect(JSON.parse(r.out).changedCalls).toEqual({ count: 0, transitions: [] });
    const t = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', '.');
    expect(t.out).toContain('changed calls: 0 of 3000 (every call treated the same and ended the same way)\n');
  }, 30_000);

  it('lists the calls the 4G overflow after 15 s instead of 60 s changes, though the rules decide every call alike', () => {
    expect(json.decisions.different).toBe(0);
    expect(json.changedCalls.count).toBeGreaterThan(0);
    expect(transition('overflow', 'none', 'general')!.count).toBeGreaterThan(0);
    expect(transition('outcome', 'abandoned', 'answeredInTime')!.count).toBeGreaterThan(0);
    // Only what the contact centre does moves: the IVR and the rules decide as before.
    expect(new Set(json.changedCalls.transitions.map((t) => t.field))).toEqual(new Set(['overflow', 'answeredBy', 'outcome']));
  });

  it('adds up to the deltas: calls into abandoned minus calls out of it is the change in abandoned calls', () => {
    const outcome = json.changedCalls.transitions.filter((t) => t.field === 'outcome');
    const net = (cls: (c: string) => boolean) => outcome.filter((t) => cls(t.to)).reduce((n, t) => n + t.count, 0) - outcome.filter((t) => cls(t.from)).reduce((n, t) => n + t.count, 0);
    expect(net((c) => c === 'abandoned')).toBe(json.delta.overall.abandoned);
    expect(net((c) => c.startsWith('answered'))).toBe(json.delta.overall.answered);
    expect(json.delta.overall.abandoned).toBeLessThan(0);
  });

  it('counts a call once in count and once per field it changed in', () => {
    expect(lines).toHaveLength(json.changedCalls.count);
    const perField = lines.flatMap((l) => l.changed);
    expect(perField.length).toBe(json.changedCalls.transitions.reduce((n, t) => n + t.count, 0));
    expect(perField.length).toBeGreaterThan(json.changedCalls.count);
  });

  it('writes every changed call with its values before and after, in arrival order', () => {
    const fields = [...CALL_FIELDS, 'waitSec'].sort();
    for (const l of lines) {
      expect(Object.keys(l.baseline).sort()).toEqual(fields);
      expect(Object.keys(l.candidate).sort()).toEqual(fields);
      expect(l.changed.length).toBeGreaterThan(0);
      expect(l.changed).toEqual(CALL_FIELDS.filter((f) => l.baseline[f] !== l.candidate[f]));
    }
    const ids = lines.map((l) => l.callId);
    expect(ids).toEqual([...ids].sort());
    const overflowed = lines.find((l) => l.baseline.overflow === 'none' && l.candidate.overflow === 'general')!;
    expect(overflowed).toMatchObject({ baseline: { segment: '4g', queue: '4g' }, candidate: { segment: '4g', queue: '4g' } });
    const trace = readFileSync(SAMPLE, 'utf8');
    expect(trace).toContain(`"callId":"${overflowed.callId}"`);
    // The recount from the file gives the transition table.
    const counts = new Map<string, number>();
    for (const l of lines) for (const f of l.changed) counts.set(`${f} ${l.baseline[f]} ${l.candidate[f]}`, (counts.get(`${f} ${l.baseline[f]} ${l.candidate[f]}`) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(json.changedCalls.transitions.map((t) => [`${t.field} ${t.from} ${t.to}`, t.count])));
  });

  it('prints the transition table and the values before and after next to every delta', () => {
    expect(text).toContain(`changed calls: ${json.changedCalls.count} of 3000 (`);
    expect(text).toMatch(/\nby field: overflow \d+, answeredBy \d+, outcome \d+\n/);
    expect(text).toMatch(/\n {2}field +from +to +calls\n/);
    expect(text).toMatch(new RegExp(`\\n {2}overflow +none +general +${transition('overflow', 'none', 'general')!.count}\\n`));
    expect(text).toMatch(new RegExp(`\\n {2}outcome +abandoned +answeredInTime +${transition('outcome', 'abandoned', 'answeredInTime')!.count}\\n`));
    expect(text).toMatch(/\n {2}4g: 30-second service level \+\d+\.\d pp \(\d+\.\d% → \d+\.\d%\), ASA −\d+\.\d s \(\d+\.\d s → \d+\.\d s\)/);
    expect(text).toMatch(/\noverall: 30-second service level [+−±]\d+\.\d pp \(\d+\.\d% → \d+\.\d%\)/);
    expect(text).toContain(`wrote ${lines.length} changed calls to `);
    // A field with many transitions shows its largest eight; one line sums up the rest.
    const answeredBy = json.changedCalls.transitions.filter((t) => t.field === 'answeredBy');
    expect(answeredBy.length).toBeGreaterThan(8);
    const rest = answeredBy.slice(8);
    expect(text).toMatch(new RegExp(`\\n {2}answeredBy +… ${rest.length} more \\(all in --json\\) +${rest.reduce((n, t) => n + t.count, 0)}\\n`));
    expect(text.match(/\n {2}answeredBy /g)).toHaveLength(9);
  });

  it('writes compare.json, the same as --json, and compare.html', () => {
    expect(readdirSync(outDir).sort()).toEqual(['compare.html', 'compare.json']);
    expect(JSON.parse(readFileSync(join(outDir, 'compare.json'), 'utf8'))).toEqual(json);
    const html = readFileSync(join(outDir, 'compare.html'), 'utf8');
    expect(html).toContain('<h2>Changed calls</h2>');
    expect(html).toContain(`<td class="t">abandoned</td><td class="t">answeredInTime</td><td>${transition('outcome', 'abandoned', 'answeredInTime')!.count}</td>`);
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it('checks where --calls-out writes before the run, and writes nothing when refused', async () => {
    const dir = join(tmp.dir, 'a-dir');
    writeFileSync(join(tmp.dir, 'a-file'), 'x');
    const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', '.', '--calls-out', tmp.dir);
    expect(r).toMatchObject({ code: 2, out: '', err: `ivr-sim: --calls-out ${tmp.dir}: is a directory; --calls-out takes a file to write; nothing was run\n` });
    const p = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', '.', '--calls-out', '/proc/self/changed.jsonl');
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/^ivr-sim: --calls-out \/proc\/self\/changed.jsonl: \S+ is on the proc file system/);
    const o = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', '.', '--out', join(tmp.dir, 'a-file'), '--calls-out', join(dir, 'c.jsonl'));
    expect(o).toMatchObject({ code: 2, out: '' });
    expect(o.err).toContain('--out');
    expect(existsSync(dir)).toBe(false);
  });
});
