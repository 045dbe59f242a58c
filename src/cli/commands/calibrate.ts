import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { countLines, type AcdReadStats } from '../../core/calibration/acd-log.js';
import { readAcdLog } from '../../core/calibration/acd-log-reader.js';
import { calibrate, type Calibration } from '../../core/calibration/calibrate.js';
import { renderCalibrationHtml } from '../../core/calibration/calibration-html.js';
import { parseColumnMapping } from '../../core/calibration/column-mapping.js';
import { behaviourFor, calibrationDocument, dayProfileFor, staffingFor, talkPools, traceLines } from '../../core/calibration/scenario.js';
import { parseTimeZone } from '../../core/calibration/time-zone.js';
import { serializeStaffing } from '../../core/staffing/staffing-file.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { checkOutputPath, writeOutputs } from '../output-path.js';
import { formatBacktest, parseReplications, runBacktest } from './calibrate-backtest.js';
import type { Backtest } from '../../core/calibration/backtest.js';
import { parseOnError } from './replay.js';
import { wholeNumber } from '../whole-number.js';

export interface CalibrateFlags {
  out?: string;
  interval: string;
  day?: string;
  columns?: string;
  timezone?: string;
  onError: string;
  sort?: boolean;
  threshold: string;
  presenceGap: string;
  seed: string;
  backtest?: boolean;
  replications: string;
  json?: boolean;
}

export function registerCalibrateCommand(program: Command, io: CliIO): void {
  program
    .command('calibrate')
    .argument('<log>', 'ACD log: CSV (.csv) or JSON Lines (.jsonl), one row per call that asked for an agent (docs/calibration.md)')
    .description('estimate arrivals, talk, patience, retrials and staffing from an ACD log; write a scenario that replays it (--out), or backtest it against the log (--backtest)')
    .option('--out <dir>', 'write trace.jsonl, staffing.json, behaviour.json, day-profile.json, calibration.json and calibration.html there')
    .option('--backtest', 'replay the calibrated scenario and compare service level, ASA and abandonment with the log, overall, per interval and per day')
    .option('--replications <n>', 'backtest replications (they differ in patience and retrial draws)', '20')
    .option('--json', 'print the backtest as one JSON object')
    .option('--interval <minutes>', 'interval of arrivals, staffing and the backtest: 15, 30 or 60', '30')
    .option('--day <YYYY-MM-DD>', 'calibrate one day of the log (default: every day; patience and talk pooled, staffing per day)')
    .option('--columns <map>', 'the export\'s column names: callId=call_id,arrivalTime=date+q_start,… (a "+" joins a date and a clock column)')
    .option('--timezone <zone>', 'time zone of arrival times written without an offset: +08:00 or an IANA name such as Asia/Shanghai')
    .option('--on-error <mode>', 'fail: stop at bad rows and list them per reason; skip: leave them out and count them', 'fail')
    .option('--sort', 'sort the rows by arrival instead of refusing rows out of order (exports sorted by call end, agent or id)')
    .option('--threshold <sec>', 'service-level threshold in seconds', '30')
    .option('--presence-gap <min>', 'an agent counts as present between two of its calls less than this many minutes apart', '15')
    .option('--seed <n>', 'seed of the talk times drawn for abandoned calls and of the backtest\'s replications', '1')
    .action(async (log: string, flags: CalibrateFlags) => {
      if (!flags.out && !flags.backtest) throw new UsageError('calibrate: give --out DIR to write the scenario, or --backtest to compare it with the log (or both)');
      const outDir = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'dir');
      const replications = flags.backtest ? parseReplications(flags.replications) : undefined;
      const { cal, source, seed } = calibrateLog(log, flags, io);
      const tested = replications === undefined ? undefined : await runBacktest(io, cal, replications, seed, flags.json === true);
      if (outDir) {
        const files = scenarioFiles(cal, source, seed, tested);
        const report = tested && (flags.json ? JSON.stringify(tested) + '\n' : formatBacktest(tested));
        writeOutputs(io, files.map((f) => ({ file: join(outDir, f.file), text: f.text })), report);
        if (!flags.json) io.out(summary(cal) + `\nwrote ${files.map((f) => f.file).join(', ')} to ${flags.out}\n\n`);
      }
      if (tested) io.out(flags.json ? JSON.stringify(tested) + '\n' : formatBacktest(tested));
    });
}

/** Reads the log as the flags say and calibrates it; warnings (rows left out) go to stderr. */
export function calibrateLog(log: string, flags: CalibrateFlags, io: CliIO): { cal: Calibration; source: { file: string; timeZone?: string; day?: string }; seed: number } {
  const intervalMin = Number(flags.interval);
  if (![15, 30, 60].includes(intervalMin)) throw new UsageError(`--interval ${flags.interval}: expected 15, 30 or 60 (minutes)`);
  if (flags.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(flags.day)) throw new UsageError(`--day ${flags.day}: expected a date YYYY-MM-DD`);
  const thresholdSec = Number(flags.threshold);
  if (!(thresholdSec >= 0)) throw new UsageError(`--threshold ${flags.threshold}: expected seconds >= 0`);
  const gapMin = Number(flags.presenceGap);
  if (!(gapMin > 0)) throw new UsageError(`--presence-gap ${flags.presenceGap}: expected minutes > 0`);
  const seed = wholeNumber('--seed', flags.seed, 0);
  let columns;
  try {
    columns = parseColumnMapping(flags.columns);
  } catch (err) {
    throw new UsageError(`--columns: ${(err as Error).message}`);
  }
  const timeZone = flags.timezone === undefined ? undefined : parseTimeZone(flags.timezone);
  if (flags.timezone !== undefined && !timeZone) throw new UsageError(`--timezone ${flags.timezone}: expected an offset such as +08:00 or an IANA zone such as Asia/Shanghai`);
  const { calls, stats } = readAcdLog(resolve(log), {
    name: log,
    columns,
    ...(timeZone ? { timeZone } : {}),
    ...(flags.day !== undefined ? { day: flags.day } : {}),
    onError: parseOnError(flags.onError),
    sort: flags.sort === true,
  });
  io.err(leftOutLines(log, stats));
  const cal = calibrate(calls, stats, { intervalMin, thresholdSec, presenceGapSec: gapMin * 60 });
  for (const f of cal.fallbacks) io.err(`note: ${f.estimate}: ${f.reason}; using ${f.using}\n`);
  return { cal, source: { file: log, ...(flags.timezone ? { timeZone: flags.timezone } : {}), ...(flags.day ? { day: flags.day } : {}) }, seed };
}

function leftOutLines(log: string, stats: AcdReadStats): string {
  const lines = countLines(stats.leftOut);
  if (!lines.length) return '';
  const values = Object.entries(stats.unknownOutcomes).map(([v, n]) => `${v} ×${n}`).join(', ');
  return `warning: ${log}: rows left out, per reason:\n${lines.join('\n')}\n${values ? `  (outcomes other than answered/abandoned: ${values})\n` : ''}`;
}

/**
 * The scenario's files, relative to --out. With several days the top level replays them all
 * on a staffing averaged by time of day (for what-ifs), and days/<date>/ holds each day's own
 * trace and staffing (what the backtest replays).
 */
export function scenarioFiles(cal: Calibration, source: { file: string; timeZone?: string; day?: string }, seed: number, tested?: Backtest): { file: string; text: string }[] {
  const pools = talkPools(cal.days.flatMap((d) => d.calls), cal);
  const jsonl = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  const behaviour = JSON.stringify(behaviourFor(cal), null, 2) + '\n';
  const all = cal.days.flatMap((d) => d.calls);
  const files = [
    { file: 'trace.jsonl', text: jsonl(traceLines(all, cal, pools, seed)) },
    { file: 'staffing.json', text: serializeStaffing(staffingFor(cal.days, cal)) },
    { file: 'behaviour.json', text: behaviour },
    { file: 'day-profile.json', text: JSON.stringify(dayProfileFor(cal), null, 2) + '\n' },
  ];
  if (cal.days.length > 1) {
    for (const d of cal.days) {
      files.push(
        { file: join('days', d.date, 'trace.jsonl'), text: jsonl(traceLines(d.calls, cal, pools, seed)) },
        { file: join('days', d.date, 'staffing.json'), text: serializeStaffing(staffingFor([d], cal)) },
        { file: join('days', d.date, 'behaviour.json'), text: behaviour },
      );
    }
  }
  if (tested) files.push({ file: 'backtest.json', text: JSON.stringify(tested, null, 2) + '\n' });
  files.push({ file: 'calibration.json', text: JSON.stringify(calibrationDocument(cal, source), null, 2) + '\n' }, { file: 'calibration.html', text: renderCalibrationHtml(cal, source.file, tested) });
  return files;
}

function summary(cal: Calibration): string {
  const out: string[] = [];
  const days = cal.days;
  out.push(`calibrated ${cal.input.calls} calls, ${days.length} day${days.length === 1 ? '' : 's'} (${days[0]!.date}${days.length > 1 ? ` to ${days[days.length - 1]!.date}` : ''}), queues ${cal.queues.join(', ')}`);
  for (const q of cal.queues) {
    const t = cal.talk[q]!;
    const ln = t.lognormal;
    out.push(`  talk ${q}: mean ${t.empirical.meanSec.value} s (n ${t.empirical.n})${ln ? `, lognormal mean ${ln.meanSec.value} s [${ln.meanSec.ciLow}, ${ln.meanSec.ciHigh}], cv ${ln.cv}` : ''}`);
  }
  const p = cal.patience.pooled;
  if (p) {
    const tail = p.tail.kind === 'exponential' ? `exponential, mean ${p.tail.meanSec.value} s [${p.tail.meanSec.ciLow}, ${p.tail.meanSec.ciHigh}]` : `Weibull, shape ${p.tail.shape.value} [${p.tail.shape.ciLow}, ${p.tail.shape.ciHigh}], scale ${p.tail.scaleSec.value} s [${p.tail.scaleSec.ciLow}, ${p.tail.scaleSec.ciHigh}]`;
    out.push(`  patience (all queues): ${p.abandoned} abandoned of ${p.n}; Kaplan–Meier over ${p.points.length} steps${p.medianSec !== undefined ? `, median ${p.medianSec} s` : ''}; tail ${tail}`);
  }
  for (const [q, f] of Object.entries(cal.patience.byQueue)) out.push(`  patience ${q}: ${f.abandoned} abandoned of ${f.n}; tail ${f.tail.kind}`);
  const r = cal.retrials;
  if (r) out.push(`  retrials: ${(r.probability.value * 100).toFixed(1)} % [${(r.probability.ciLow * 100).toFixed(1)}, ${(r.probability.ciHigh * 100).toFixed(1)}] of ${r.abandonedWithCustomer} abandoned callers call again; ${Number.isFinite(r.delay.medianSec) ? `median delay ${r.delay.medianSec} s` : 'no retrial seen, so no delay measured'}`);
  for (const g of cal.groups) {
    const peak = Math.max(...days.map((d) => Math.max(...(d.staffing[g.id] ?? []).map((x) => x.agents))));
    out.push(`  group ${g.id}: ${g.agents.length} agents seen, skills ${g.queues.join(', ')}; peak ${peak.toFixed(1)} available per interval`);
  }
  return out.join('\n') + '\n';
}
