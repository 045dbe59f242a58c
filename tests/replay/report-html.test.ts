import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { scratch } from '../helpers/trace-files.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

async function htmlOf(trace: string): Promise<string> {
  const io = bufferIO();
  const out = join(tmp.dir, 'out');
  expect(await runCli(['replay', trace, '--out', out], io)).toBe(0);
  return readFileSync(join(out, 'report.html'), 'utf8');
}

/** The header cells and the rows (first cell, then the others) of every table under a heading holding `heading`. */
function tableAfter(html: string, heading: string): { head: string[]; rows: string[][]; classes: string[] } {
  const at = html.indexOf(heading);
  expect(at, `a heading "${heading}"`).toBeGreaterThan(-1);
  const t = html.slice(html.indexOf('<table', at), html.indexOf('</table>', at));
  const cells = (tr: string) => [...tr.matchAll(/<t[hd]>(.*?)<\/t[hd]>/g)].map((m) => m[1]!);
  const [head, ...rows] = [...t.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) => cells(m[1]!));
  return { head: head!, rows, classes: [...t.matchAll(/<tr( class="[^"]*")?>/g)].slice(1).map((m) => m[1] ?? '') };
}

const DIAMOND = '+8613800000001';
const line = (i: number, extra: object = {}) => ({ callId: `c-${i}`, arrivalSec: 10 * 3600 + i * 10, caller: DIAMOND, keys: '0', talkSec: 120, ...extra });

describe('the HTML report', () => {
  it('has an IVR hang-up column wherever self-served and handed-off calls are shown', async () => {
    const html = await htmlOf(tmp.file('t.jsonl', [line(0), line(1, { keys: '1,9' }), line(2, { keys: '', hangupInIvrSec: 3 })]));
    const calls = tableAfter(html, '<h3>Calls and the IVR');
    expect(calls.head.slice(1, 5)).toEqual(['calls', 'self-served', 'handed off', 'hung up in IVR']);
    expect(calls.rows.find((r) => r[0] === 'overall')!.slice(1, 5)).toEqual(['3', '1', '1', '1']);
    expect(calls.rows.find((r) => r[0] === 'segment vip-diamond')!.slice(1, 5)).toEqual(['3', '1', '1', '1']);
    const intervals = tableAfter(html, '<h2>By interval');
    expect(intervals.head).toContain('hung up in IVR');
    expect(intervals.rows[0]![intervals.head.indexOf('hung up in IVR')]).toBe('1');
  });

  it('shows what the contact policy did with the SMS, per template and by reason', async () => {
    const html = await htmlOf(tmp.file('t.jsonl', [0, 1, 2].map((i) => line(i, { keys: '1,9' }))));
    expect(html).toMatch(/Of 3 SMS the rules asked for, the contact policy \([0-9a-f]+\) would send 1 and suppress 2; 0 would wait/);
    const policy = tableAfter(html, '<h2>SMS and the contact policy');
    expect(policy.head).toEqual(['', 'requested', 'sent', 'deferred', 'suppressed', 'suppressed by reason']);
    expect(policy.rows).toEqual([
      ['all templates', '3', '1', '0', '2', 'template-cap\u00a02'],
      ['data-usage-summary', '3', '1', '0', '2', 'template-cap\u00a02'],
    ]);
  });

  it('marks an interval the trace covers only in part, in its table row and on the charts', async () => {
    // 10:00:00 to 10:04:50: the 10:00 interval is covered for 5 of its 30 minutes.
    const html = await htmlOf(tmp.file('t.jsonl', Array.from({ length: 30 }, (_, i) => line(i))));
    const intervals = tableAfter(html, '<h2>By interval');
    expect(intervals.rows[0]![0]).toBe('10:00 (5 of 30\u00a0min)');
    expect(intervals.classes[0]).toBe(' class="partial"');
    expect(intervals.rows[0]![intervals.head.indexOf('calls per hour')]).toBe('360');
    expect(html.match(/<circle [^>]*class="partial"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('○ partial interval, rates over the time the trace covers: 10:00 (5 of 30\u00a0min)');
  });

  it('never breaks a figure from its unit', async () => {
    const html = await htmlOf(tmp.file('t.jsonl', Array.from({ length: 20 }, (_, i) => line(i))));
    expect(html).toMatch(/<td>\d+\.\d\u00a0s<\/td>/);
    expect(html).not.toMatch(/<td>[\d.,]+ (s|min|%)<\/td>/);
    expect(html).toMatch(/td,[^{]*\{white-space:nowrap/);
  });

  it('charts a trace of several days by time of day, with tables by day and by time of day instead of every interval', async () => {
    const trace = join(tmp.dir, 'days.jsonl');
    await runCli(['gen', '--calls', '2400', '--seed', '11', '--day-profile', 'data/day-profile.json', '--rate-per-hour', '40', '--start', '2025-03-03T00:00:00+08:00', '--out', trace], bufferIO());
    const html = await htmlOf(trace);
    expect(html).toContain('Service level by time of day, 3 days together');
    expect(html).toContain('Occupancy per agent group by time of day');
    expect(html).not.toContain('Service level per interval');
    expect(html).not.toContain('<h2>By interval');
    const days = tableAfter(html, '<h2>By day');
    expect(days.rows.map((r) => r[0]!.slice(0, 10))).toEqual(['2025-03-03', '2025-03-04', '2025-03-05']);
    expect(days.classes).toEqual([' class="partial"', '', ' class="partial"']);
    expect(tableAfter(html, '<h2>By time of day').rows).toHaveLength(48);
    // One point per queue per interval of the day, not per interval of the trace (144 of them).
    const sl = html.slice(html.indexOf('Service level by time of day'), html.indexOf('</figure>', html.indexOf('Service level by time of day')));
    const firstPath = /<path d="([^"]*)"/.exec(sl)![1]!;
    expect(firstPath.match(/[ML]/g)!.length).toBeLessThanOrEqual(48);
  });
});
