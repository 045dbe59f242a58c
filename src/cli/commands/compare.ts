import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ChangedCallCollector } from '../../core/replay/changed-calls.js';
import { renderCompareHtml } from '../../core/replay/compare-html.js';
import { scoreScenarios } from '../../core/replay/composite-score.js';
import { DecisionDiffer, DIFF_KINDS } from '../../core/replay/decision-diff.js';
import { describeChange, EMPTY_KPI_ROW, reportDelta } from '../../core/replay/report-delta.js';
import { ReplayRun } from '../../core/replay/replay-run.js';
import { replayTrace } from '../../core/replay/replay-trace.js';
import type { ContactPolicyReport } from '../../core/sms/replay-contact-policy.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { formatChangedCalls, writeChangedCalls } from '../changed-calls-out.js';
import { checkOutputPath, OutputWriteError, writeOutputs } from '../output-path.js';
import { warningLines } from '../report-warnings.js';
import { reportSkippedLines } from '../skipped-lines.js';
import { loadScenario, scenarioFlagsFromDir, withScenarioOptions, type ScenarioFlags } from '../scenario-options.js';
import { parallelReplay, parseOnError, progress } from './replay.js';
import { besideReplications, checkReplicationQueue, parseReplicationFlags, startReplications, withReplicationOptions, type ReplicationFlags } from '../replication-options.js';
import { formatDeltaIntervals } from '../replication-table.js';
import { deltaIntervalsBlock, replicationsBlock, scoreRanking } from '../../core/replications/replication-report.js';

interface CompareFlags extends ScenarioFlags, ReplicationFlags {
  baseline: string;
  candidate: string;
  json?: boolean;
  onError: string;
  sort?: boolean;
  parallel: boolean;
  out?: string;
  callsOut?: string;
}

export function registerCompareCommand(program: Command, io: CliIO): void {
  withReplicationOptions(withScenarioOptions(
    program
      .command('compare')
      .argument('<trace>', 'trace file (.jsonl or .csv)')
      .description(
        'replay one trace against two configurations and report the deltas (pp, seconds) per segment and overall, which calls were decided differently, and every call treated or ending differently (changed calls)',
      ),
  ))
    .requiredOption('--baseline <dir>', 'directory with flows/ and rules/ (and optionally customers.json, staffing.json) of the current configuration')
    .requiredOption('--candidate <dir>', 'the same for the proposed configuration')
    .option('--json', 'print the comparison as one JSON object')
    .option('--out <dir>', 'also write compare.json and a self-contained compare.html (both scenarios side by side) there')
    .option('--calls-out <file>', 'write every call treated or ending differently, with its baseline and candidate values, as JSON Lines')
    .option('--on-error <mode>', 'fail or skip bad trace lines', 'fail')
    .option('--sort', 'sort the trace by arrival')
    .option('--no-parallel', 'decide calls in the same thread as the contact centres (also IVR_SIM_REPLAY_WORKERS=0)')
    .action(async (trace: string, flags: CompareFlags) => {
      const onError = parseOnError(flags.onError);
      const parallel = parallelReplay(flags);
      const replications = parseReplicationFlags(flags);
      await checkReplicationQueue(replications);
      const outDir = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'dir');
      const callsOut = flags.callsOut === undefined ? undefined : checkOutputPath('--calls-out', flags.callsOut, 'file');
      for (const [name, dir] of [['--baseline', flags.baseline], ['--candidate', flags.candidate]] as const) {
        if (!existsSync(resolve(dir, 'flows')) && !existsSync(resolve(dir, 'rules')) && !existsSync(resolve(dir, 'staffing.json'))) {
          throw new UsageError(`${name} ${dir}: expected a directory holding flows/, rules/ or staffing.json`);
        }
      }
      const baseline = new ReplayRun(await loadScenario(scenarioFlagsFromDir(flags.baseline, flags), io, 'baseline: '));
      const candidate = new ReplayRun(await loadScenario(scenarioFlagsFromDir(flags.candidate, flags), io, 'candidate: '));
      const differ = new DecisionDiffer();
      const changed = new ChangedCallCollector([baseline.scenario.staffing.serviceLevel.thresholdSec, candidate.scenario.staffing.serviceLevel.thresholdSec]);
      baseline.observeOutcomes((o) => changed.addOutcome(0, o));
      candidate.observeOutcomes((o) => changed.addOutcome(1, o));
      const reader = { onError, sort: flags.sort ?? false };
      // Both configurations' other days do not depend on the recorded day's replay: they compute while it runs.
      const { recorded: input, replications: replicating } = await besideReplications(
        replications && (() => startReplications(io, trace, [baseline, candidate], reader, replications)),
        async () => {
          const bar = progress(io, 'compare');
          try {
            return await replayTrace(resolve(trace), [baseline, candidate], {
              ...reader,
              parallel,
              onProgress: (n) => bar.update(n),
              onCall: (call, [a, b]) => {
                differ.add(call.callId, a ?? null, b ?? null);
                changed.addCall(call, a ?? null, b ?? null);
              },
            });
          } finally {
            bar.stop();
          }
        },
      );
      reportSkippedLines(io, trace, input);
      const info = (r: ReplayRun) => ({ trace, flowsDir: r.scenario.config.paths.flowsDir, rulesDir: r.scenario.config.paths.rulesDir, customersFile: r.scenario.config.paths.customersFile });
      const base = baseline.report(info(baseline), input);
      const cand = candidate.report(info(candidate), input);
      const delta = reportDelta(base, cand);
      const warnings = warningLines(base.warnings, 'baseline: ') + warningLines(cand.warnings, 'candidate: ');
      io.err(warnings);
      const marketing = new Set(
        [...baseline.scenario.config.rules.templates.values(), ...candidate.scenario.config.rules.templates.values()].filter((t) => t.class === 'marketing').map((t) => t.id),
      );
      const score = scoreScenarios([{ name: 'baseline', row: base }, { name: 'candidate', row: cand }], undefined, marketing);
      const decisions = differ.result();
      let intervals = '';
      let replicated = {};
      if (replicating) {
        // Both configurations replay the very same resampled days: the noise they share cancels out of the paired deltas.
        const r = await replicating.result();
        const queueOrder = [...new Set([...baseline.scenario.staffing.queues, ...candidate.scenario.staffing.queues].map((q) => q.id))];
        const meta = { seed: baseline.scenario.seed, method: r.method, queueOrder };
        const base = r.days.map((d) => d[0]!);
        const cand = r.days.map((d) => d[1]!);
        const deltaIntervals = deltaIntervalsBlock(base, cand, queueOrder);
        const ranking = scoreRanking(base, cand, marketing);
        replicated = {
          replications: {
            n: r.days.length,
            seed: meta.seed,
            method: r.method,
            ...(r.target ? { target: r.target } : {}),
            score: ranking,
            baseline: replicationsBlock(base, meta),
            candidate: replicationsBlock(cand, meta),
          },
          deltaIntervals,
        };
        intervals = formatDeltaIntervals(r.days.length, r.method, meta.seed, deltaIntervals, ranking, r.target);
      }
      const result = {
        trace,
        baseline: { dir: flags.baseline, configVersion: base.scenario.configVersion, staffing: base.scenario.staffing, overall: stripSeries(base) },
        candidate: { dir: flags.candidate, configVersion: cand.scenario.configVersion, staffing: cand.scenario.staffing, overall: stripSeries(cand) },
        delta,
        decisions,
        changedCalls: changed.summary(),
        score,
        ...replicated,
      };
      const writeFiles = () => {
        if (outDir) {
          const files = [
            { file: join(outDir, 'compare.json'), text: JSON.stringify(result, null, 2) + '\n' },
            { file: join(outDir, 'compare.html'), text: renderCompareHtml({ ...result, baseline: { dir: flags.baseline, report: base }, candidate: { dir: flags.candidate, report: cand } }) },
          ];
          writeOutputs(io, files, undefined);
        }
        if (callsOut) writeCallsOut(callsOut, changed);
      };
      if (flags.json) {
        io.out(JSON.stringify(result) + '\n');
        writeFiles();
        return;
      }
      const t = base.scenario.thresholdSec;
      let out = `Compare on ${trace} (${input.calls} calls): baseline ${flags.baseline} [${base.scenario.configVersion}] → candidate ${flags.candidate} [${cand.scenario.configVersion}]\n\n`;
      out += `overall: ${describeChange(base, cand, t) || 'no change'}\n`;
      for (const seg of Object.keys(delta.bySegment)) out += `  ${seg}: ${describeChange(base.bySegment[seg] ?? EMPTY_KPI_ROW, cand.bySegment[seg] ?? EMPTY_KPI_ROW, t) || 'no change'}\n`;
      if (base.contactPolicy && cand.contactPolicy) out += contactPolicyLine(base.contactPolicy, cand.contactPolicy);
      out += '\nby queue:\n';
      for (const q of Object.keys(delta.byQueue)) out += `  ${q}: ${describeChange(base.byQueue[q] ?? EMPTY_KPI_ROW, cand.byQueue[q] ?? EMPTY_KPI_ROW, t) || 'no change'}\n`;
      if (warnings) out += '\n' + warnings;
      out += `\ndecided differently: ${decisions.different} of ${decisions.compared} calls`;
      out += decisions.different ? ` (${DIFF_KINDS.filter((k) => decisions.byKind[k]).map((k) => `${k} ${decisions.byKind[k]}`).join(', ')})\n` : '\n';
      for (const e of decisions.examples) out += `  ${e.callId} [${e.kinds.join(', ')}]\n    baseline:  ${e.baseline}\n    candidate: ${e.candidate}\n`;
      out += '\n' + formatChangedCalls(result.changedCalls, input.calls);
      out += `\ncomposite score (min-max across the two): ${score.map((s) => `${s.name} ${s.score} (efficiency ${s.dimensions.efficiency}, quality ${s.dimensions.quality}, marketing ${s.dimensions.marketing})`).join('; ')}\n`;
      io.out(out + intervals);
      writeFiles();
      if (outDir) io.out(`\nwrote ${join(flags.out!, 'compare.json')} and compare.html\n`);
      if (callsOut) io.out(`${outDir ? '' : '\n'}wrote ${result.changedCalls.count} changed calls to ${flags.callsOut}\n`);
    });
}

/** Every changed call to `file`; the comparison is printed already, so a failure says so. */
function writeCallsOut(file: string, changed: ChangedCallCollector): void {
  try {
    writeChangedCalls(file, changed.changedCalls());
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new OutputWriteError(`could not write ${file}: ${e.code ? `${e.code} ` : ''}${e.message.replace(/^[A-Z]+: /, '')}; the comparison was printed to standard output above`);
  }
}

/** "SMS (contact policy): sent 895 → 870 (−25), suppressed 857 → 830 (template-cap −27), deferred 0 → 0" */
function contactPolicyLine(a: ContactPolicyReport, b: ContactPolicyReport): string {
  const change = (x: number, y: number) => `${x} → ${y}` + (y !== x ? ` (${y > x ? '+' : '−'}${Math.abs(y - x)})` : '');
  const total = (p: ContactPolicyReport) => Object.values(p.suppressed).reduce((s, n) => s + n, 0);
  const reasons = [...new Set([...Object.keys(a.suppressed), ...Object.keys(b.suppressed)])]
    .sort()
    .map((r) => [r, (b.suppressed[r] ?? 0) - (a.suppressed[r] ?? 0)] as const)
    .filter(([, n]) => n !== 0)
    .map(([r, n]) => `${r} ${n > 0 ? '+' : '−'}${Math.abs(n)}`);
  return (
    `  SMS (contact policy): requested ${change(a.requested, b.requested)}, sent ${change(a.sent, b.sent)}, ` +
    `suppressed ${change(total(a), total(b))}${reasons.length ? ` [${reasons.join(', ')}]` : ''}, deferred ${change(a.deferred, b.deferred)}\n`
  );
}

function stripSeries<T extends { series: unknown; byInterval: unknown; byTimeOfDay: unknown }>(r: T): Omit<T, 'series' | 'byInterval' | 'byTimeOfDay'> {
  const { series: _s, byInterval: _i, byTimeOfDay: _t, ...rest } = r;
  return rest;
}
