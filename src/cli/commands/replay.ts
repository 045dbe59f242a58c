import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { unknownBehaviourQueues } from '../../core/behaviour/queue-behaviour.js';
import { AcdLogRecorder } from '../../core/replay/acd-log.js';
import { renderReportHtml } from '../../core/replay/report-html.js';
import { ReplayRun } from '../../core/replay/replay-run.js';
import { replayTrace } from '../../core/replay/replay-trace.js';
import { parseBehaviourFlags, withBehaviourOptions, type BehaviourFlags } from '../behaviour-options.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { checkOutputPath, writeOutputs } from '../output-path.js';
import { formatReport } from '../report-table.js';
import { besideReplications, checkReplicationQueue, parseReplicationFlags, startReplications, withReplicationOptions, type ReplicationFlags, type ReplicationsUnderWay } from '../replication-options.js';
import type { InputInfo, ReplayReport } from '../../core/replay/replay-report.js';
import { formatReplications } from '../replication-table.js';
import { replicationsBlock } from '../../core/replications/replication-report.js';
import { warningLines } from '../report-warnings.js';
import { reportSkippedLines } from '../skipped-lines.js';
import { loadScenario, withScenarioOptions, type ScenarioFlags } from '../scenario-options.js';

interface ReplayFlags extends ScenarioFlags, ReplicationFlags, BehaviourFlags {
  json?: boolean;
  out?: string;
  onError: string;
  sort?: boolean;
  parallel: boolean;
}

export function parseOnError(v: string): 'fail' | 'skip' {
  if (v !== 'fail' && v !== 'skip') throw new UsageError(`--on-error ${v}: expected fail or skip`);
  return v;
}

/**
 * Whether a replay decides calls in a worker thread next to the contact centre (the results are
 * the same either way): never with --no-parallel or IVR_SIM_REPLAY_WORKERS=0, always with
 * IVR_SIM_REPLAY_WORKERS=1, else for traces large enough to gain from it.
 */
export function parallelReplay(flags: { parallel: boolean }, env: NodeJS.ProcessEnv = process.env): boolean | 'auto' {
  const workers = env['IVR_SIM_REPLAY_WORKERS'];
  if (workers !== undefined && workers !== '' && workers !== '0' && workers !== '1') {
    throw new UsageError(`IVR_SIM_REPLAY_WORKERS=${workers}: expected 0 (decide in the replay's thread) or 1 (in a worker thread)`);
  }
  if (!flags.parallel || workers === '0') return false;
  return workers === '1' ? true : 'auto';
}

/** A progress bar on stderr when it is a terminal; nothing otherwise. */
export function progress(io: CliIO, label: string): { update(n: number): void; stop(): void } {
  if (!io.interactive) return { update() {}, stop() {} };
  const bar = new SingleBar({ format: `${label} {value} calls | {rate} calls/s | {duration_formatted}`, stream: process.stderr, clearOnComplete: true });
  const started = Date.now();
  bar.start(0, 0, { rate: 0 });
  return {
    update(n) {
      bar.update(n, { rate: Math.round(n / Math.max(0.001, (Date.now() - started) / 1000)) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** The recorded day's report from the replication workers; should it fail, the replications are stopped too. */
async function recordedBy(
  recorded: NonNullable<ReplicationsUnderWay['recorded']>,
  replications: ReplicationsUnderWay,
): Promise<{ recorded: ReplayReport; input: InputInfo }> {
  try {
    const { report, input } = await recorded();
    return { recorded: report, input };
  } catch (err) {
    await replications.cancel();
    throw err;
  }
}

export function registerReplayCommand(program: Command, io: CliIO): void {
  withBehaviourOptions(withReplicationOptions(withScenarioOptions(
    program
      .command('replay')
      .argument('<trace>', 'trace file: JSON Lines (.jsonl) or CSV (.csv), one call per line in arrival order')
      .description('replay a call trace against flows, rules and staffing; report service level, ASA, abandonment, handle time, containment'),
  )))
    .option('--json', 'print the report as one JSON object')
    .option('--out <dir>', 'also write report.json and a self-contained report.html there')
    .option('--on-error <mode>', 'fail: stop and list up to 10 bad lines; skip: leave them out and count them', 'fail')
    .option('--sort', 'sort the trace by arrival instead of refusing out-of-order lines (reads it all into memory)')
    .option('--no-parallel', 'decide calls in the same thread as the contact centre (also IVR_SIM_REPLAY_WORKERS=0)')
    .action(async (trace: string, flags: ReplayFlags) => {
      const onError = parseOnError(flags.onError);
      const parallel = parallelReplay(flags);
      const replications = parseReplicationFlags(flags);
      const choice = parseBehaviourFlags(flags);
      if (replications && choice.behaviour) {
        throw new UsageError(`--replications resamples the trace's calls, which breaks its chains of retries; replay with ${flags.scenario !== undefined ? '--scenario' : '--behaviour'} without --replications (vary --seed for other patience and retrial draws)`);
      }
      await checkReplicationQueue(replications);
      const outDir = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'dir');
      const scenario = await loadScenario(choice.staffing ? { ...flags, staffing: choice.staffing } : flags, io);
      if (choice.behaviour) {
        const queues = new Set(scenario.staffing.queues.map((q) => q.id));
        for (const path of unknownBehaviourQueues(choice.behaviour, queues)) {
          io.err(`warning: ${choice.behaviourFile!} at ${path}: no such queue in the staffing file (queues: ${[...queues].join(', ')}); the entry is not used\n`);
        }
      }
      const run = new ReplayRun(choice.behaviour ? { ...scenario, behaviour: choice.behaviour } : scenario);
      const acdLog = choice.acdLog && new AcdLogRecorder();
      if (acdLog) run.observeOutcomes((o, call) => acdLog.add(o, call, run.firstCallOfChain(o.callId)));
      const reader = { onError, sort: flags.sort ?? false };
      const paths = run.scenario.config.paths;
      const info = { trace, flowsDir: paths.flowsDir, rulesDir: paths.rulesDir, customersFile: paths.customersFile };
      // With --redis-url a worker replays the recorded day too, as the flow's first job: it holds
      // the day and the deciders for the replications anyway. Should the flow not start (a trace
      // it cannot read, say), the replay below runs here and reports the error as usual.
      const onWorkers = replications?.queue && !acdLog ? await startReplications(io, trace, [run], reader, replications, info).catch(() => undefined) : undefined;
      const { recorded, input, replicating } = onWorkers?.recorded
        ? { ...(await recordedBy(onWorkers.recorded, onWorkers)), replicating: onWorkers }
        : await (async () => {
            // The other days do not depend on the recorded day's replay: they compute while it runs.
            const beside = await besideReplications(
              replications && (() => startReplications(io, trace, [run], reader, replications)),
              async () => {
                const bar = progress(io, 'replay');
                try {
                  return await replayTrace(resolve(trace), [run], { ...reader, parallel, onProgress: (n) => bar.update(n) });
                } finally {
                  bar.stop();
                }
              },
            );
            return { recorded: run.report(info, beside.recorded), input: beside.recorded, replicating: beside.replications };
          })();
      let report: typeof recorded & { replications?: ReturnType<typeof replicationsBlock> } = recorded;
      let intervals = '';
      if (replicating) {
        // The recorded trace's figures stay as they are; the other days add a block beside them.
        const r = await replicating.result();
        const block = replicationsBlock(r.days.map((d) => d[0]!), { seed: run.scenario.seed, method: r.method, queueOrder: run.scenario.staffing.queues.map((q) => q.id) });
        report = { ...recorded, replications: r.target ? { ...block, target: r.target } : block };
        intervals = formatReplications(block, r.target);
      }
      io.err(warningLines(report.warnings));
      io.out(flags.json ? JSON.stringify(report) + '\n' : formatReport(report) + intervals);
      reportSkippedLines(io, trace, input);
      if (acdLog && choice.acdLog) {
        const { path, format } = choice.acdLog;
        writeOutputs(io, [{ file: path, text: format === 'csv' ? acdLog.csv(run.traceOrigin) : acdLog.jsonl(run.traceOrigin) }], undefined);
        if (!flags.json) io.out(`\nwrote ${flags.acdLog!} (${acdLog.size} simulated calls)\n`);
      }
      if (outDir) {
        const json = JSON.stringify(report, null, 2) + '\n';
        // The table is printed already; should the files fail, the full report follows it on stdout.
        writeOutputs(io, [{ file: join(outDir, 'report.json'), text: json }, { file: join(outDir, 'report.html'), text: renderReportHtml(report) }], flags.json ? undefined : json);
        if (!flags.json) io.out(`\nwrote ${join(flags.out!, 'report.json')} and report.html\n`);
      }
    });
}
