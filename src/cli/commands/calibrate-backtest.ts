import { backtest, type Backtest, type BacktestRow } from '../../core/calibration/backtest.js';
import type { Calibration } from '../../core/calibration/calibrate.js';
import { defaultPaths, loadConfiguration } from '../../core/configuration/configuration.js';
import type { CliIO } from '../cli-io.js';
import { wholeNumber } from '../whole-number.js';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const sec = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}s`);
const pp = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${x.toFixed(1)}`);
const range = (lo: number | null, hi: number | null, f: (x: number | null) => string) => (lo === null || hi === null ? '' : `[${f(lo)}, ${f(hi)}]`);

/** `--replications`, checked before anything runs. */
export function parseReplications(text: string): number {
  return wholeNumber('--replications', text, 2, 1000);
}

/** `calibrate --backtest`: replays the calibrated scenario against the log, saying on stderr which days are done. */
export async function runBacktest(io: CliIO, cal: Calibration, replications: number, seed: number, quiet: boolean): Promise<Backtest> {
  return backtest(cal, {
    replications,
    seed,
    config: loadConfiguration(defaultPaths()),
    ...(quiet ? {} : { onDay: (date: string, k: number, n: number) => io.err(`backtest: ${date} done (${k}/${n})\n`) }),
  });
}

function line(name: string, r: BacktestRow): string {
  const i = r.simulatedIntervals;
  return [
    name.padEnd(12),
    String(r.real.offered).padStart(7),
    pct(r.real.serviceLevel).padStart(7),
    pct(r.simulated.serviceLevel).padStart(7),
    pp(r.errorPp.serviceLevel).padStart(6),
    range(i.serviceLevel.p025, i.serviceLevel.p975, pct).padStart(17),
    sec(r.real.asaSec).padStart(8),
    sec(r.simulated.asaSec).padStart(8),
    (r.errorAsaPct === null ? '—' : `${r.errorAsaPct >= 0 ? '+' : ''}${r.errorAsaPct.toFixed(0)}%`).padStart(6),
    pct(r.real.abandonRate).padStart(7),
    pct(r.simulated.abandonRate).padStart(7),
    pp(r.errorPp.abandonRate).padStart(6),
    range(i.abandonRate.p025, i.abandonRate.p975, pct).padStart(17),
  ].join(' ');
}

export function formatBacktest(b: Backtest): string {
  const head = [
    ''.padEnd(12),
    'offered'.padStart(7),
    'SL real'.padStart(7),
    'sim'.padStart(7),
    'err pp'.padStart(6),
    'sim 95% range'.padStart(17),
    'ASA real'.padStart(8),
    'sim'.padStart(8),
    'err'.padStart(6),
    'ab real'.padStart(7),
    'sim'.padStart(7),
    'err pp'.padStart(6),
    'sim 95% range'.padStart(17),
  ].join(' ');
  const out = [
    `backtest: ${b.replications} replications (seed ${b.seed}) differing in patience and retrial draws; service level within ${b.thresholdSec} s; "sim" is the replications' mean, the range their 2.5–97.5 percentiles`,
    '',
    head,
    line('overall', b.overall),
    '',
    ...b.byDay.map((d) => line(d.date, d)),
    '',
    ...b.byInterval.map((i) => line(i.start, i)),
  ];
  if (b.retrials) out.push('', `retrials over all replications: ${b.retrials.recorded} recorded retries replayed, ${b.retrials.suppressed} suppressed (their call was answered in the simulation), ${b.retrials.generated} generated`);
  return out.join('\n') + '\n';
}
