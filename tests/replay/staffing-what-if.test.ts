import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const TEN = 10 * 3600;
/** ACD-level calls at 10:00, a minute apart, straight into `queue`. */
const acd = (queue: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ callId: `${queue}-${from + i}`, arrivalSec: TEN + (from + i) * 60, queue, talkSec: 120 }));

describe('--staff Q=N as a what-if', () => {
  it('changes only the listed queues: the README\'s general=35,vip=8 leaves tech and campus calls to their desks', async () => {
    const trace = tmp.file('t.jsonl', [...acd('tech', 10), ...acd('campus', 10, 10), ...acd('general', 10, 20)]);
    const r = await cli('replay', trace, '--json', '--staff', 'general=35,vip=8');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as ReplayReport;
    expect(rep.byQueue['tech']).toMatchObject({ offered: 10, answered: 10 });
    expect(rep.byQueue['campus']).toMatchObject({ offered: 10, answered: 10 });
    expect(rep.byQueue['general']).toMatchObject({ offered: 10, answered: 10 });
    expect(rep.byGroup['network-support']!.busyAgentHours).toBeGreaterThan(0);
    expect(rep.byGroup['general-only']!.busyAgentHours).toBeGreaterThan(0);
    expect(rep.warnings).toEqual([]);
    expect(r.err).toBe('');
  });

  it('serves a listed queue with its N agents only, not with the desks that had its skill', async () => {
    // 20 long calls at once on tech: with tech=2, only two are answered within a minute's patience.
    const trace = tmp.file(
      't.jsonl',
      Array.from({ length: 20 }, (_, i) => ({ callId: `t${i}`, arrivalSec: TEN + i, queue: 'tech', talkSec: 900, patienceSec: 60 })),
    );
    const rep = JSON.parse((await cli('replay', trace, '--json', '--staff', 'tech=2')).out) as ReplayReport;
    expect(rep.byQueue['tech']).toMatchObject({ answered: 2, abandoned: 18 });
    expect(Object.keys(rep.byGroup)).toContain('tech-only');
    expect(rep.byGroup['network-support']!.busyAgentHours).toBe(0);
  });
});

describe('a queue that receives calls while nobody can answer it', () => {
  it('is a warning in the JSON report, on stderr, in the text table and at the top of the HTML report', async () => {
    const trace = tmp.file('t.jsonl', [...acd('general', 3), ...acd('tech', 40, 3)]);
    const json = await cli('replay', trace, '--json', '--staff', 'tech=0');
    expect(json.code).toBe(0);
    const rep = JSON.parse(json.out) as ReplayReport;
    expect(rep.warnings).toEqual([
      {
        queue: 'tech',
        fromSec: TEN,
        toSec: TEN + 3600,
        message: '40 calls reached queue tech between 10:00 and 11:00 while the staffing has no agent with its skill at any time',
      },
    ]);
    expect(json.err).toBe(`warning: ${rep.warnings[0]!.message}\n`);

    const out = join(tmp.dir, 'out');
    const text = await cli('replay', trace, '--staff', 'tech=0', '--out', out);
    const lines = text.out.split('\n');
    const warningAt = lines.indexOf(`warning: ${rep.warnings[0]!.message}`);
    expect(warningAt).toBeGreaterThan(lines.findIndex((l) => l.startsWith('queue tech')));
    expect(text.err).toContain('warning: 40 calls reached queue tech');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<li>warning: 40 calls reached queue tech between 10:00 and 11:00');
    expect(html.indexOf('class="warnings"')).toBeLessThan(html.indexOf('<h2>'));
  });

  it('names the stretch of intervals when a shift leaves a gap, and the file\'s own groups serve the rest of the day', async () => {
    // The shipped file's campus desk is off between 00:00 and 07:00 but the general floor still takes campus calls;
    // a staffing with only the campus desk leaves campus calls at 03:00 to nobody.
    const doc = JSON.parse(readFileSync('data/staffing.json', 'utf8'));
    doc.groups = doc.groups.filter((g: { id: string }) => g.id === 'campus-desk');
    const file = tmp.file('campus.json', [doc]);
    const night = Array.from({ length: 4 }, (_, i) => ({ callId: `n${i}`, arrivalSec: 3 * 3600 + i * 600, queue: 'campus', talkSec: 60 }));
    const day = Array.from({ length: 4 }, (_, i) => ({ callId: `d${i}`, arrivalSec: TEN + i * 600, queue: 'campus', talkSec: 60 }));
    const r = await cli('replay', tmp.file('t.jsonl', [...night, ...day]), '--json', '--staffing', file);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as ReplayReport;
    expect(rep.warnings).toEqual([
      { queue: 'campus', fromSec: 3 * 3600, toSec: 3 * 3600 + 3600, message: '4 calls reached queue campus between 03:00 and 04:00 while no agent with its skill was on shift' },
    ]);
  });

  it('shows in compare for the side that has it', async () => {
    const trace = tmp.file('t.jsonl', acd('vip-card', 5));
    const candidate = join(tmp.dir, 'candidate');
    const doc = JSON.parse(readFileSync('data/staffing.json', 'utf8'));
    doc.groups = doc.groups.filter((g: { id: string; skills: Record<string, number> }) => !('vip-card' in g.skills));
    mkdirSync(candidate);
    tmp.file('candidate/staffing.json', [doc]);
    const r = await cli('compare', trace, '--baseline', '.', '--candidate', candidate);
    expect(r.code).toBe(0);
    const message = '5 calls reached queue vip-card between 10:00 and 10:30 while the staffing has no agent with its skill at any time';
    expect(r.out).toContain(`warning: candidate: ${message}\n`);
    expect(r.out).not.toContain('warning: baseline:');
    expect(r.err).toContain(`warning: candidate: ${message}\n`);
    const j = JSON.parse((await cli('compare', trace, '--baseline', '.', '--candidate', candidate, '--json')).out);
    expect(j.baseline.overall.warnings).toEqual([]);
    expect(j.candidate.overall.warnings).toHaveLength(1);
  });
});
