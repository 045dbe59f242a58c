import { Readable } from 'node:stream';
import type { Configuration } from '../configuration/configuration.js';
import { ReplayRun, type Scenario } from '../replay/replay-run.js';
import { replayTrace } from '../replay/replay-trace.js';
import type { KpiRow } from '../replay/replay-report.js';
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
  for (const [k, day] of cal.days.entries()) {
    const staffing = staffingFor([day], cal);
    const runs = seeds.map((seed) => {
      const scenario: Scenario = { config: opts.config, staffing, staffingSource: `calibrated staffing of ${day.date}`, seed, intervalMin: cal.intervalMin, behaviour };
      return new ReplayRun(scenario);
    });
    const lines = traceLines(day.calls, cal, pools, opts.seed);
    const input = await replayTrace(
      Readable.from(lines.map((l) => JSON.stringify(l) + '\n')),
      runs,
      { parallel: false },
    );
    const daySums = seeds.map(none);
    runs.forEach((run, i) => {
      const report = run.report({ trace: `${day.date} (calibrated)`, flowsDir: '', rulesDir: '', customersFile: '' }, input);
      add(overall[i]!, report);
      add(daySums[i]!, report);
      for (const row of report.byInterval) {
        let list = byInterval.get(row.interval % (1440 / cal.intervalMin));
        if (!list) byInterval.set(row.interval % (1440 / cal.intervalMin), (list = seeds.map(none)));
        add(list[i]!, row);
      }
      const r = (report as { retrials?: { generated: number; recorded: number; suppressed: number } }).retrials;
      if (r) {
        withRetrials = true;
        retrials.generated += r.generated;
        retrials.recorded += r.recorded;
        retrials.suppressed += r.suppressed;
      }
    });
    byDay.push(daySums);
    opts.onDay?.(day.date, k + 1, cal.days.length);
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
