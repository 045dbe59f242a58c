import { resolve } from 'node:path';
import type { Command } from 'commander';
import { forecastTrace } from '../../core/replay/trace-forecast.js';
import { clockLabel } from '../../core/replay/replay-report.js';
import { ReplayRun } from '../../core/replay/replay-run.js';
import { planStaffing } from '../../core/staffing/staffing-plan.js';
import { serializeStaffing } from '../../core/staffing/staffing-file.js';
import { readTrace } from '../../core/trace/trace-reader.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { loadScenario, withScenarioOptions, type ScenarioFlags } from '../scenario-options.js';
import { checkOutputPath, writeOutputs } from '../output-path.js';
import { reportSkippedLines } from '../skipped-lines.js';
import { parseOnError, progress } from './replay.js';
import { wholeNumber } from '../whole-number.js';

interface StaffFlags extends ScenarioFlags {
  targetSl: string;
  threshold: string;
  minAgents: string;
  out?: string;
  onError: string;
  sort?: boolean;
  eachInterval?: boolean;
}

/** How far below the target `staff` lets a queue's interval fall when it plans to the overall target. */
export const OVERALL_FLOOR_PP = 0.1;

function fraction(name: string, v: string): number {
  const x = Number(v);
  if (!(x > 0 && x < 1)) throw new UsageError(`${name} ${v}: expected a fraction between 0 and 1, e.g. 0.8`);
  return x;
}


function goalText(target: number, eachInterval: boolean | undefined): string {
  if (eachInterval) return 'in every interval of every queue';
  return `over all calls (no queue's interval below ${Math.round(Math.max(0, target - OVERALL_FLOOR_PP) * 100)} %)`;
}

export function registerStaffCommand(program: Command, io: CliIO): void {
  withScenarioOptions(
    program
      .command('staff')
      .argument('<trace>', 'trace file (.jsonl or .csv)')
      .description("write a staffing file per queue and interval from a trace's arrival rates and handle times (Erlang C, or Erlang A when callers' patience is known)"),
  )
    .option('--target-sl <fraction>', 'service level to reach', '0.8')
    .option('--threshold <sec>', 'answered within this many seconds', '30')
    .option('--min-agents <n>', 'fewest agents per queue at any time', '0')
    .option('--out <file>', 'write the staffing file here (default: standard output)')
    .option('--on-error <mode>', 'fail or skip bad trace lines', 'fail')
    .option('--sort', 'sort the trace by arrival')
    .option(
      '--each-interval',
      `staff every interval of every queue to the target (more agents); by default the target is met over all calls, no queue's interval more than ${OVERALL_FLOOR_PP * 100} points below it`,
    )
    .action(async (trace: string, flags: StaffFlags) => {
      const target = fraction('--target-sl', flags.targetSl);
      const threshold = Number(flags.threshold);
      if (!(threshold >= 0)) throw new UsageError(`--threshold ${flags.threshold}: expected seconds >= 0`);
      const minAgents = wholeNumber('--min-agents', flags.minAgents, 0);
      const out = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'file');
      const scenario = await loadScenario(flags, io);
      const intervalMin = scenario.intervalMin ?? scenario.staffing.intervalMin;
      const run = new ReplayRun(scenario);
      const reader = readTrace(resolve(trace), {
        onError: parseOnError(flags.onError),
        sort: flags.sort ?? false,
        queues: new Set(scenario.staffing.queues.map((q) => q.id)),
      });
      const bar = progress(io, 'staff');
      let counted;
      try {
        // The same reading and deciding as a replay, on the same clock, so the shifts fall on the trace's hours.
        counted = await forecastTrace(reader, (call) => run.decide(call), intervalMin, (n) => bar.update(n));
      } finally {
        bar.stop();
      }
      const { forecaster, calls: n } = counted;
      const names = new Map(scenario.staffing.queues.map((q) => [q.id, q.name]));
      const plan = planStaffing({
        serviceLevel: { target, thresholdSec: threshold },
        intervalMin,
        defaultWrapSec: scenario.staffing.defaultWrapSec,
        minAgents,
        ...(flags.eachInterval ? {} : { overallFloor: Math.max(0, target - OVERALL_FLOOR_PP) }),
        queues: forecaster.forecasts(scenario.staffing.defaultWrapSec, scenario.staffing.queues.map((q) => q.id)).map((f) => {
          const name = names.get(f.queue);
          return name ? { ...f, name } : f;
        }),
      });
      const text = serializeStaffing(plan.staffing);
      reportSkippedLines(io, trace, reader.stats());
      if (out) writeOutputs(io, [{ file: out, text }], text);
      else io.out(text);
      const peak = new Map<string, number>();
      for (const i of plan.intervals) peak.set(i.queue, Math.max(peak.get(i.queue) ?? 0, i.agents));
      const span = forecaster.span();
      const hours = span ? `, reaching agents ${clockLabel(span.from)}–${clockLabel(span.to)} on the trace's clock` : '';
      io.err(
        `planned ${[...peak].map(([q, a]) => `${q} ≤${a}`).join(', ')} agents for ${Math.round(target * 100)}/${threshold} ${goalText(target, flags.eachInterval)}, from ${n} calls${hours} ` +
          `(${forecaster.days()} day(s), ${intervalMin}-minute intervals)${flags.out ? `; wrote ${flags.out}` : ''}\n`,
      );
    });
}
