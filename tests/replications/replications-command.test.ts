import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const SAMPLE = 'data/traces/sample.jsonl';
const INTERVAL_KEYS = ['mean', 'ciLow', 'ciHigh', 'halfWidth', 'p025', 'p975'];

/** A candidate directory whose only change is more agents on every shift of every group. */
let moreAgents: string;
beforeAll(() => {
  moreAgents = mkdtempSync(join(tmpdir(), 'ivr-sim-more-agents-'));
  const staffing = JSON.parse(readFileSync('data/staffing.json', 'utf8'));
  for (const g of staffing.groups) for (const s of g.shifts ?? []) s.agents = Math.ceil(s.agents * 1.5) + 1;
  writeFileSync(join(moreAgents, 'staffing.json'), JSON.stringify(staffing, null, 2));
});
afterAll(() => rmSync(moreAgents, { recursive: true, force: true }));

describe('replay --replications', () => {
  it('rejects a count that is not a whole number of at least 2 as a usage error (exit 2), before replaying anything', async () => {
    for (const bad of ['0', '1', '-3', 'abc', '2.5', '']) {
      for (const command of [['replay', SAMPLE], ['compare', SAMPLE, '--baseline', '.', '--candidate', '.']]) {
        const r = await cli(...command, `--replications=${bad}`);
        expect(r.code, `${command[0]} --replications ${bad}`).toBe(2);
        expect(r.err).toContain(`--replications ${bad}: expected a whole number >= 2`);
        expect(r.out).toBe('');
      }
    }
    const over = await cli('replay', SAMPLE, '--replications', '20', '--max-replications', '10');
    expect(over.code).toBe(2);
    expect(over.err).toContain('more than --max-replications 10');
    const stray = await cli('replay', SAMPLE, '--threads', '2');
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('--threads needs --replications N or --target-half-width PP');
  });

  it('refuses the replication workers\' flags without replications rather than replaying on this machine as if they were not given', async () => {
    for (const [flag, value] of [['--redis-url', 'redis://127.0.0.1:6379'], ['--prefix', 'elsewhere:'], ['--block-size', '2'], ['--worker-timeout', '5']] as const) {
      for (const command of [['replay', SAMPLE], ['compare', SAMPLE, '--baseline', '.', '--candidate', '.']]) {
        const r = await cli(...command, flag, value);
        expect(r.code, `${command[0]} ${flag}`).toBe(2);
        expect(r.err).toContain(`${flag} needs --replications N or --target-half-width PP`);
        expect(r.out).toBe('');
      }
    }
  });

  it('takes a count written in decimal digits only: 1e3, 0x10 or " 3" is a usage error, not 1000, 16 or 3 replications', async () => {
    for (const bad of ['1e3', '0x10', ' 3', '3.0']) {
      const r = await cli('replay', SAMPLE, `--replications=${bad}`);
      expect(r.code, `--replications ${bad}`).toBe(2);
      expect(r.err).toContain(`--replications ${bad}: expected a whole number >= 2`);
      expect(r.out).toBe('');
    }
  });

  it('a bad trace line fails a replicated run as it fails a plain replay: same message, nothing printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-bad-trace-'));
    try {
      const bad = join(dir, 'bad.jsonl');
      writeFileSync(bad, readFileSync(SAMPLE, 'utf8').split('\n').slice(0, 50).join('\n') + '\n{"callId": "bad"\n');
      const plain = await cli('replay', bad);
      expect(plain.code).toBe(1);
      expect(plain.err).toContain('bad.jsonl:51: not valid JSON');
      for (const args of [['replay', bad], ['compare', bad, '--baseline', '.', '--candidate', '.']]) {
        const r = await cli(...args, '--replications', '3');
        expect(r.code, args[0]).toBe(1);
        expect(r.out).toBe('');
        expect(r.err).toBe(plain.err);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the recorded trace\'s figures and adds the replications block: every KPI overall, per segment and per queue', async () => {
    const plain = await cli('replay', SAMPLE, '--json', '--seed', '3');
    const replicated = await cli('replay', SAMPLE, '--json', '--replications', '4', '--seed', '3');
    expect(replicated.code).toBe(0);
    const { replications, ...recorded } = JSON.parse(replicated.out);
    expect(recorded).toEqual(JSON.parse(plain.out));
    expect(replications).toMatchObject({ n: 4, seed: 3, method: 'poisson-bootstrap per 30-minute interval, jittered arrivals, fresh call ids', confidence: 0.95 });
    expect(Object.keys(replications.overall.serviceLevel)).toEqual(INTERVAL_KEYS);
    expect(Object.keys(replications.bySegment).sort()).toEqual(Object.keys(recorded.bySegment).sort());
    expect(Object.keys(replications.byQueue)).toEqual(Object.keys(recorded.byQueue));
    const sl = replications.overall.serviceLevel;
    expect(sl.mean).toBeGreaterThan(0.3);
    expect(sl.mean).toBeLessThan(1); // a fraction, as in the report
    expect(sl.ciLow).toBeLessThanOrEqual(sl.mean);
    expect(sl.ciHigh).toBeGreaterThanOrEqual(sl.mean);
    expect(sl.halfWidth).toBeCloseTo((sl.ciHigh - sl.ciLow) / 2, 3);
    expect(sl.p025).toBeLessThanOrEqual(sl.p975);
    expect(replications.byQueue.general.asaSec.mean).toBeGreaterThan(0);
  }, 60_000);

  it('replay --out with replications: report.html shows the other days beside the recorded one, every KPI overall, per segment and per queue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-report-html-'));
    try {
      const r = await cli('replay', SAMPLE, '--replications', '4', '--seed', '3', '--out', join(dir, 'with'));
      expect(r.code, r.err).toBe(0);
      const { replications } = JSON.parse(readFileSync(join(dir, 'with', 'report.json'), 'utf8'));
      const html = readFileSync(join(dir, 'with', 'report.html'), 'utf8');
      expect(html).toContain('<h2>Other days: 4 replications</h2>');
      expect(html).toContain(`(${replications.method}; seed 3)`);
      const sl = replications.overall.serviceLevel;
      const overall = html.slice(html.indexOf('<table class="kpi replications">'));
      expect(overall).toContain(`<tr><th>overall</th>`);
      expect(overall).toContain(`${(sl.mean * 100).toFixed(1)}\u00a0±${(sl.halfWidth * 100).toFixed(1)}<br><span class="range">${(sl.p025 * 100).toFixed(1)}–${(sl.p975 * 100).toFixed(1)}</span>`);
      for (const name of [...Object.keys(replications.bySegment).map((s) => `segment ${s}`), ...Object.keys(replications.byQueue).map((q) => `queue ${q}`)]) {
        expect(overall).toContain(`<tr><th>${name}</th>`);
      }
      const plain = await cli('replay', SAMPLE, '--seed', '3', '--out', join(dir, 'without'));
      expect(plain.code, plain.err).toBe(0);
      expect(readFileSync(join(dir, 'without', 'report.html'), 'utf8')).not.toContain('<table class="kpi replications">');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('same trace, scenario and seed: byte-identical output; another seed: other days', async () => {
    const a = await cli('replay', SAMPLE, '--replications', '3', '--seed', '7');
    const b = await cli('replay', SAMPLE, '--replications', '3', '--seed', '7');
    const c = await cli('replay', SAMPLE, '--replications', '3', '--seed', '8', '--json');
    expect(a.out).toBe(b.out);
    expect(a.out).toContain('Replications: 3 other days');
    expect(a.out).toMatch(/\noverall\s+\d+ ±\d+ \[\d+–\d+\]\s+\d+\.\d ±\d+\.\d \[/);
    const d = await cli('replay', SAMPLE, '--replications', '3', '--seed', '7', '--json');
    expect(JSON.parse(c.out).replications.overall.calls).not.toEqual(JSON.parse(d.out).replications.overall.calls);
  }, 60_000);

  it('--target-half-width adds replications until the service-level interval is that narrow, and says how many it took', async () => {
    const r = await cli('replay', SAMPLE, '--json', '--target-half-width', '2', '--max-replications', '60');
    expect(r.code).toBe(0);
    const { replications } = JSON.parse(r.out);
    expect(replications.target).toMatchObject({ halfWidthPp: 2, met: true });
    expect(replications.target.reachedHalfWidthPp).toBeLessThanOrEqual(2);
    expect(replications.overall.serviceLevel.halfWidth * 100).toBeCloseTo(replications.target.reachedHalfWidthPp, 1);
    expect(replications.n).toBeGreaterThan(10); // ten are not enough on the sample day
    const capped = await cli('replay', SAMPLE, '--json', '--target-half-width', '0.01', '--replications', '3', '--max-replications', '5');
    expect(JSON.parse(capped.out).replications).toMatchObject({ n: 5, target: { halfWidthPp: 0.01, met: false } });
  }, 120_000);
});

describe('compare --replications: paired deltas on the same resampled days', () => {
  it('identical baseline and candidate: every delta is exactly 0 on every day, nothing is significant', async () => {
    const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', '.', '--json', '--replications', '3');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.replications).toMatchObject({ n: 3, seed: 1, score: { candidateFirstShare: 0, baselineFirstShare: 0, tiedShare: 1 } });
    expect(out.replications.baseline).toEqual(out.replications.candidate);
    expect(out.deltaIntervals.correction).toMatch(/^holm/);
    const all = [out.deltaIntervals.overall, ...Object.values(out.deltaIntervals.bySegment), ...Object.values(out.deltaIntervals.byQueue)] as Record<string, any>[];
    for (const fields of all) {
      for (const [field, d] of Object.entries(fields)) {
        expect(d.significant, field).toBe(false);
        if (d.mean !== null) expect([d.mean, d.ciLow, d.ciHigh, d.p025, d.p975], field).toEqual([0, 0, 0, 0, 0]);
      }
    }
  }, 60_000);

  it('a candidate with clearly more agents: the service-level delta is significant and positive, overall and where queues were short', async () => {
    const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', moreAgents, '--json', '--replications', '5');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    const sl = out.deltaIntervals.overall.serviceLevelPp;
    expect(sl.significant).toBe(true);
    expect(sl.ciLow).toBeGreaterThan(0);
    expect(sl.candidateWinsShare).toBe(1);
    expect(out.deltaIntervals.overall.asaSec).toMatchObject({ significant: true });
    expect(out.deltaIntervals.overall.asaSec.ciHigh).toBeLessThan(0);
    expect(out.deltaIntervals.byQueue.tech.serviceLevelPp.significant).toBe(true);
    expect(out.deltaIntervals.byQueue.tech.serviceLevelPp.p).toBeLessThan(0.05);
    expect(Object.keys(out.deltaIntervals.overall.serviceLevelPp)).toEqual(['mean', 'ciLow', 'ciHigh', 'p025', 'p975', 'p', 'significant', 'candidateWinsShare']);
    // The recorded trace's delta is still today's.
    const plain = JSON.parse((await cli('compare', SAMPLE, '--baseline', '.', '--candidate', moreAgents, '--json')).out);
    expect(out.delta).toEqual(plain.delta);
    expect(out.replications.score.candidateFirstShare).toBeGreaterThan(0.5);
  }, 60_000);

  it('--target-half-width adds paired days until the service-level delta\'s interval is that narrow', async () => {
    const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', moreAgents, '--json', '--target-half-width', '2.5', '--max-replications', '60');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.replications.target).toMatchObject({ halfWidthPp: 2.5, met: true });
    expect(out.replications.n).toBeGreaterThan(10); // the first ten days are not enough for ±2.5 pp
    const sl = out.deltaIntervals.overall.serviceLevelPp;
    expect(out.replications.target.reachedHalfWidthPp).toBeLessThanOrEqual(2.5);
    // The target is on the paired delta (pp), not on either scenario's own service level.
    expect((sl.ciHigh - sl.ciLow) / 2).toBeCloseTo(out.replications.target.reachedHalfWidthPp, 1);
  }, 120_000);

  it('prints the paired intervals after today\'s comparison, marking what is significant and saying Holm corrects segments and queues', async () => {
    const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', moreAgents, '--replications', '3');
    expect(r.code).toBe(0);
    const text = r.out.slice(r.out.indexOf('\nReplications: 3 paired days'));
    expect(text).toContain('Holm-corrected');
    expect(text).toMatch(/\noverall\s+\+\d+\.\d ±\d+\.\d \*/);
    expect(text).toMatch(/composite score: candidate first in \d+% of replications/);
  }, 60_000);

  it('compare --out with replications: compare.html says over how many days, which and with what seed, and how often each scenario ranks first on the composite score', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-compare-html-'));
    try {
      const r = await cli('compare', SAMPLE, '--baseline', '.', '--candidate', moreAgents, '--replications', '4', '--seed', '6', '--out', dir);
      expect(r.code, r.err).toBe(0);
      const { replications } = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8'));
      const html = readFileSync(join(dir, 'compare.html'), 'utf8');
      expect(html).toContain(`Intervals are over 4 replications (the same days for both: ${replications.method}; seed 6)`);
      const share = (x: number) => `${Math.round(x * 100)}%`;
      expect(html).toContain(
        `Over the 4 replicated days: the candidate scores first on ${share(replications.score.candidateFirstShare)} of them, the baseline on ${share(replications.score.baselineFirstShare)}, tied on ${share(replications.score.tiedShare)}.`,
      );
      expect(html).toContain("the interval excludes 0 once corrected for the number of segments compared (Holm's method). The interval shown is not corrected");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
