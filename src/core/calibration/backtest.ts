import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration } from '../configuration/configuration.js';
import { ReplayRun, type Scenario } from '../replay/replay-run.js';
import { replayTrace } from '../replay/replay-trace.js';
import type { KpiRow, ReplayReport } from '../replay/replay-report.js';
import { summarise } from '../replications/interval-statistics.js';
import { SeededRandom } from '../random/seeded-random.js';
import { clock, realKpis, type Calibration, type RealKpis } from './calibrate.js';
import { round } from './estimate.js';
import { behaviourFor, staffingFor, talkPools, traceLines } from './scenario.js';

export interface Kpis {
  serviceLevel: number | null;
  asaSec: number | null;
  abandonRate: number | null;
}

export interface KpiInterval {
  ciLow: number | null;
  ciHigh: number | null;
  p025: number | null;
  p975: number | null;
}

/** Real against simulated for one period: the replications' means, their intervals, the errors. */
export interface BacktestRow {
  real: Kpis & { offered: number };
  simulated: Kpis & { offered: number };
  simulatedIntervals: Record<keyof Kpis, KpiInterval>;
  /** Simulated − real, in percentage points. */
  errorPp: { serviceLevel: number | null; abandonRate: number | null };
  /** (Simulated − real) ÷ real ASA, in percent. */
  errorAsaPct: number | null;
}

export interface Backtest {
  replications: number;
  seed: number;
  thresholdSec: number;
  intervalMin: number;
  overall: BacktestRow;
  /** Per interval of the day, every day of the log pooled. */
  byInterval: (BacktestRow & { interval: number; start: string })[];
  byDay: (BacktestRow & { date: string })[];
  /** Retrials over all replications: recorded lines that happened, were suppressed, and generated ones. */
  retrials?: { generated: number; recorded: number; suppressed: number };
}

/** Counts from which a period's KPIs are pooled across days. */
interface Sums {
  offered: number;
  answered: number;
  abandoned: number;
  within: number;
  waitSec: number;
}

const none = (): Sums => ({ offered: 0, answered: 0, abandoned: 0, within: 0, waitSec: 0 });

function add(s: Sums, r: Pick<KpiRow, 'answered' | 'abandoned' | 'answeredWithinThreshold' | 'asaSec' | 'offered'>): void {
  s.offered += r.answered + r.abandoned;
  s.answered += r.answered;
  s.abandoned += r.abandoned;
  s.within += r.answeredWithinThreshold;
  s.waitSec += (r.asaSec ?? 0) * r.answered;
}

function kpis(s: Sums): Kpis {
  const n = s.answered + s.abandoned;
  return {
    serviceLevel: n ? s.within / n : null,
    asaSec: s.answered ? s.waitSec / s.answered : null,
    abandonRate: n ? s.abandoned / n : null,
  };
}

export interface BacktestOptions {
  replications: number;
  seed: number;
  config: Configuration;
  /** Called once a day's replications are done. */
  onDay?: (date: string, done: number, of: number) => void;
}

/**
 * Replays every day of the calibrated scenario (its own trace and staffing, the pooled
 * behaviour model) `replications` times, the runs differing only in the seed of the patience
 * and retrial draws (arrivals and talk as recorded), and sets the log's own service level, ASA
 * and abandonment beside the replications' mean, per day, per interval and overall.
 */
export async function backtest(cal: Calibration, opts: BacktestOptions): Promise<Backtest> {
  if (!(opts.replications >= 1)) throw new RangeError(`replications must be >= 1, got ${opts.replications}`);
  const behaviour = behaviourFor(cal);
  const pools = talkPools(cal.days.flatMap((d) => d.calls), cal);
  const seeds = Array.from({ length: opts.replications }, (_, i) => SeededRandom.stream(opts.seed, `replication:${i}`).int(0, 2 ** 31 - 1));
  const overall = seeds.map(none);
  const byInterval = new Map<number, Sums[]>();
  const byDay: Sums[][] = [];
  const retrials = { generated: 0, recorded: 0, suppressed: 0 };
  let withRetrials = false;
  const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-backtest-'));
  try {
    for (const [k, day] of cal.days.entries()) {
      // The replay reads a trace with retries twice (which calls are retried, then the calls), so from a file.
      const traceFile = join(dir, `${day.date}.jsonl`);
      writeFileSync(traceFile, traceLines(day.calls, cal, pools, opts.seed).map((l) => JSON.stringify(l) + '\n').join(''));
      const reports = await replayDay(traceFile, day.date, staffingFor([day], cal), seeds, { config: opts.config, behaviour, intervalMin: cal.intervalMin });
      const daySums = seeds.map(none);
      reports.forEach((report, i) => {
        add(overall[i]!, report);
        add(daySums[i]!, report);
        for (const row of report.byInterval) {
          const slot = row.interval % (1440 / cal.intervalMin);
          let list = byInterval.get(slot);
          if (!list) byInterval.set(slot, (list = seeds.map(none)));
          add(list[i]!, row);
        }
        if (report.retrials) {
          withRetrials = true;
          retrials.generated += report.retrials.generated;
          retrials.recorded += report.retrials.recorded;
          retrials.suppressed += report.retrials.suppressed;
        }
      });
      byDay.push(daySums);
      opts.onDay?.(day.date, k + 1, cal.days.length);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const allCalls = cal.days.flatMap((d) => d.calls);
  const realByInterval = new Map<number, RealKpis>();
  for (const d of cal.days) {
    for (const r of d.realByInterval) {
      const before = realByInterval.get(r.interval);
      realByInterval.set(r.interval, before ? merge(before, r) : r);
    }
  }
  return {
    replications: opts.replications,
    seed: opts.seed,
    thresholdSec: cal.thresholdSec,
    intervalMin: cal.intervalMin,
    overall: row(realKpis(allCalls, cal.thresholdSec), overall),
    byInterval: [...byInterval.keys()]
      .sort((a, b) => a - b)
      .filter((i) => realByInterval.has(i))
      .map((i) => ({ interval: i, start: clock(i * cal.intervalMin * 60), ...row(realByInterval.get(i)!, byInterval.get(i)!) })),
    byDay: cal.days.map((d, k) => ({ date: d.date, ...row(d.real, byDay[k]!) })),
    ...(withRetrials ? { retrials } : {}),
  };
}

/** One day's trace replayed once per seed, the runs in lockstep (each call read once). */
async function replayDay(
  traceFile: string,
  date: string,
  staffing: Scenario['staffing'],
  seeds: readonly number[],
  common: Pick<Scenario, 'config' | 'behaviour' | 'intervalMin'>,
): Promise<ReplayReport[]> {
  const runs = seeds.map((seed) => new ReplayRun({ ...common, staffing, staffingSource: `calibrated staffing of ${date}`, seed }));
  const input = await replayTrace(traceFile, runs, { parallel: false });
  return runs.map((run) => run.report({ trace: `${date} (calibrated)`, flowsDir: '', rulesDir: '', customersFile: '' }, input));
}

/** Two periods' real KPIs as one (counts added, ratios recomputed). */
function merge(a: RealKpis, b: RealKpis): RealKpis {
  const answered = a.answered + b.answered;
  const abandoned = a.abandoned + b.abandoned;
  const offered = answered + abandoned;
  const within = (a.serviceLevel ?? 0) * a.offered + (b.serviceLevel ?? 0) * b.offered;
  const wait = (a.asaSec ?? 0) * a.answered + (b.asaSec ?? 0) * b.answered;
  return {
    offered,
    answered,
    abandoned,
    serviceLevel: offered ? within / offered : null,
    asaSec: answered ? wait / answered : null,
    abandonRate: offered ? abandoned / offered : null,
  };
}

function row(real: RealKpis, sims: readonly Sums[]): BacktestRow {
  const per = sims.map(kpis);
  const stat = (k: keyof Kpis) => summarise(per.map((p) => p[k]));
  const s = { serviceLevel: stat('serviceLevel'), asaSec: stat('asaSec'), abandonRate: stat('abandonRate') };
  const digits = (k: keyof Kpis) => (k === 'asaSec' ? 2 : 4);
  const r = (x: number | null, d: number) => (x === null ? null : round(x, d));
  const intervals = Object.fromEntries(
    (Object.keys(s) as (keyof Kpis)[]).map((k) => [k, { ciLow: r(s[k].ciLow, digits(k)), ciHigh: r(s[k].ciHigh, digits(k)), p025: r(s[k].p025, digits(k)), p975: r(s[k].p975, digits(k)) }]),
  ) as Record<keyof Kpis, KpiInterval>;
  const simulated = { serviceLevel: r(s.serviceLevel.mean, 4), asaSec: r(s.asaSec.mean, 2), abandonRate: r(s.abandonRate.mean, 4), offered: round(sims.reduce((t, x) => t + x.offered, 0) / sims.length, 1) };
  const pp = (k: 'serviceLevel' | 'abandonRate') => (s[k].mean === null || real[k] === null ? null : round((s[k].mean! - real[k]!) * 100, 2));
  return {
    real: { serviceLevel: r(real.serviceLevel, 4), asaSec: r(real.asaSec, 2), abandonRate: r(real.abandonRate, 4), offered: real.offered },
    simulated,
    simulatedIntervals: intervals,
    errorPp: { serviceLevel: pp('serviceLevel'), abandonRate: pp('abandonRate') },
    errorAsaPct: s.asaSec.mean === null || !real.asaSec ? null : round(((s.asaSec.mean - real.asaSec) / real.asaSec) * 100, 1),
  };
}
