import type { ConfigPaths, Configuration } from '../configuration/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import { decideTraceCall, type CompactDecision } from '../replay/compact-decision.js';
import type { InputInfo, KpiRow, ReplayReport, ScenarioInfo } from '../replay/replay-report.js';
import { ReplayRun, type Scenario } from '../replay/replay-run.js';
import { replayRecordedDay } from './recorded-day.js';
import type { RecordedDay, ResampledDay } from './trace-resampler.js';
import { NamedError } from '../errors/named-error.js';

/** What a replication keeps of one scenario's report: the KPI rows overall, per segment and per queue. */
export interface ReplicationRows {
  overall: KpiRow;
  bySegment: Record<string, KpiRow>;
  byQueue: Record<string, KpiRow>;
}

/** A scenario as plain data, to rebuild in another thread or process (its configuration is loaded again from its paths). */
export interface PlainScenario extends Omit<Scenario, 'config'> {
  paths: ConfigPaths;
  configVersion: string;
}

export function plainScenario(s: Scenario): PlainScenario {
  const { config, ...rest } = s;
  return { ...rest, paths: config.paths, configVersion: config.version };
}

/** A scenario's configuration loaded elsewhere is not the one the run started with (a file changed since). */
export class ConfigurationChangedError extends NamedError {
  readonly code = 'CONFIG_CHANGED';
  constructor(
    readonly flowsDir: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`the configuration in ${flowsDir} changed during the run (version ${expected} at the start, ${found} now): run it again`);
    this.name = 'ConfigurationChangedError';
  }
}

export function scenarioOf(plain: PlainScenario, config: Configuration): Scenario {
  if (config.version !== plain.configVersion) throw new ConfigurationChangedError(plain.paths.flowsDir, plain.configVersion, config.version);
  const { paths: _p, configVersion: _v, ...rest } = plain;
  return { ...rest, config };
}

/** What the report of the recorded day needs besides the day: how it names the inputs, and the account of the lines read. */
export interface RecordedDayRequest {
  info: Pick<ScenarioInfo, 'trace' | 'flowsDir' | 'rulesDir' | 'customersFile'>;
  input: InputInfo;
}

/**
 * Replays resampled days against a fixed set of scenarios. The deciders are built once and
 * kept (a decision depends only on the call and the seed); each day gets fresh contact centres.
 */
export class Replicator {
  /**
   * @param deciders one per scenario, to share with another replay of the same scenarios (the
   *   recorded day's, in the same thread): what they remember serves both, and their decisions
   *   do not depend on what they remember
   */
  constructor(
    private readonly scenarios: readonly Scenario[],
    private readonly deciders: readonly CallDecider[] = scenarios.map((s) => new CallDecider(s.config)),
  ) {
    if (deciders.length !== scenarios.length) throw new RangeError(`${deciders.length} deciders for ${scenarios.length} scenarios`);
  }

  /**
   * The recorded day itself against the first scenario: the report `replay` gives for the trace
   * file (same calls, decisions and figures), decided by the deciders kept for the replications.
   */
  recordedDay(day: RecordedDay, request: RecordedDayRequest): ReplayReport {
    return replayRecordedDay(day, this.scenarios[0]!, { info: request.info, input: request.input, decider: this.deciders[0]! });
  }

  /** Every scenario's KPI rows for one day; in compare, the scenarios see exactly the same calls. */
  replay(day: ResampledDay): ReplicationRows[] {
    const runs = this.scenarios.map((s) => new ReplayRun(s));
    for (const r of runs) r.setTraceOrigin(day.origin);
    const decisions: (CompactDecision | null)[] = new Array(runs.length);
    for (let i = 0; i < day.calls.length; i++) {
      const call = day.calls[i]!;
      const input = day.inputs[i]!;
      for (let k = 0; k < runs.length; k++) {
        const s = this.scenarios[k]!;
        decisions[k] = decideTraceCall(this.deciders[k]!, s.seed, input, s.contactPolicy !== undefined);
      }
      for (let k = 0; k < runs.length; k++) runs[k]!.offer(call, decisions[k]!);
    }
    const input = { lines: day.calls.length, calls: day.calls.length, skipped: 0, skippedByReason: {}, blank: 0 };
    return runs.map((run) => {
      const r = run.report({ trace: '', flowsDir: '', rulesDir: '', customersFile: '' }, input);
      const { bySegment, byQueue } = r;
      const overall: KpiRow = {
        calls: r.calls, selfServed: r.selfServed, handedOff: r.handedOff, hungUpInIvr: r.hungUpInIvr, offered: r.offered, answered: r.answered,
        abandoned: r.abandoned, unanswered: r.unanswered, answeredWithinThreshold: r.answeredWithinThreshold, serviceLevel: r.serviceLevel,
        asaSec: r.asaSec, ahtSec: r.ahtSec, abandonRate: r.abandonRate, containmentRate: r.containmentRate, occupancy: r.occupancy,
        avgIvrSec: r.avgIvrSec, hotKeys: r.hotKeys, sms: r.sms, tags: r.tags,
      };
      return { overall, bySegment, byQueue };
    });
  }
}
