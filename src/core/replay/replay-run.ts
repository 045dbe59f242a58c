import type { ConfigIssue } from '../config/config-error.js';
import { routedQueueIssues, type Configuration } from '../config/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import type { CallOutcome } from '../simulation/call-outcome.js';
import { ContactCentre } from '../simulation/contact-centre.js';
import type { OfferedCall } from '../simulation/offered-call.js';
import { QueueKpiAccumulator } from '../simulation/queue-kpi-accumulator.js';
import type { ContactPolicy } from '../sms/contact-policy.js';
import { ReplayContactPolicy } from '../sms/replay-contact-policy.js';
import type { Staffing } from '../staffing/staffing.js';
import { parseOffsetDateTime } from '../trace/date-time.js';
import type { TraceReadStats } from '../trace/trace-reader.js';
import { decideTraceCall, type CompactDecision, type DecideInput, type ReplayCall } from './compact-decision.js';
import { emptyIvrSums, IvrKpiAccumulator } from './ivr-kpis.js';
import { RoutesOutsideStaffingError } from './routes-outside-staffing-error.js';
import { StaffingGaps } from './staffing-gaps.js';
import { clockLabel, kpiRow, type InputInfo, type IntervalRow, type KpiRow, type ReplayReport, type ScenarioInfo } from './replay-report.js';

/** A configuration to replay a trace against. */
export interface Scenario {
  config: Configuration;
  staffing: Staffing;
  /** Shown in reports: where the staffing came from (a file, or a --staff override). */
  staffingSource: string;
  seed: number;
  /** Reporting interval; default the staffing file's. */
  intervalMin?: number;
  /** When given, the report's `contactPolicy` section says what this policy would do with the SMS. */
  contactPolicy?: ContactPolicy;
}

/** Priority of ACD-level trace lines that give none: the routing default's segment priority. */
const DIRECT_PRIORITY_FALLBACK = 10;

/**
 * Replays calls against one scenario: each call is decided (flow + rules), handed-off calls
 * go through the discrete-event contact centre, and every figure is folded into running sums.
 * Feed calls in arrival order with `offer`, then call `report`.
 */
export class ReplayRun {
  readonly decider: CallDecider;
  private readonly centre: ContactCentre;
  private readonly byQueue: QueueKpiAccumulator;
  private readonly bySegment: QueueKpiAccumulator;
  private readonly ivr: IvrKpiAccumulator;
  private readonly intervalSec: number;
  private readonly queueIds: ReadonlySet<string>;
  private seq = 0;
  private finished = false;
  private readonly contacts: ReplayContactPolicy | null;
  private readonly gaps: StaffingGaps;
  /** Routes naming queues the staffing lacks: fatal only once a call goes through the IVR. */
  private readonly routeIssues: ConfigIssue[];

  constructor(readonly scenario: Scenario) {
    this.decider = new CallDecider(scenario.config);
    const intervalMin = scenario.intervalMin ?? scenario.staffing.intervalMin;
    this.intervalSec = intervalMin * 60;
    const thresholdSec = scenario.staffing.serviceLevel.thresholdSec;
    const queueOrder = scenario.staffing.queues.map((q) => q.id);
    this.queueIds = new Set(queueOrder);
    this.byQueue = new QueueKpiAccumulator({ thresholdSec, intervalSec: this.intervalSec, queueOrder, keyBy: (o) => o.entryQueue });
    this.bySegment = new QueueKpiAccumulator({ thresholdSec, intervalSec: this.intervalSec, keyBy: (o) => o.segment });
    this.ivr = new IvrKpiAccumulator(this.intervalSec);
    this.gaps = new StaffingGaps(scenario.staffing, this.intervalSec);
    this.routeIssues = routedQueueIssues(scenario.config, this.queueIds).filter((i) => i.severity === 'error');
    this.contacts = scenario.contactPolicy ? new ReplayContactPolicy(scenario.contactPolicy) : null;
    this.centre = new ContactCentre(scenario.staffing, {
      intervalSec: this.intervalSec,
      onOutcome: (o: CallOutcome) => {
        this.byQueue.add(o);
        this.bySegment.add(o);
      },
    });
  }

  /** Decides one call; the returned decision is null for ACD-level lines (no IVR, no rules). */
  decide(call: DecideInput): CompactDecision | null {
    if (call.queue === undefined) this.checkRoutable(call.callId);
    return decideTraceCall(this.decider, this.scenario.seed, call, this.contacts !== null);
  }

  /**
   * Where the trace's clock starts: with arrivalTime, day 0 is the midnight before its first call
   * (in that line's offset); without, 1970-01-01 UTC. Quiet hours are read against it.
   */
  setTraceOrigin(origin: TraceReadStats['origin']): void {
    const at = origin ? parseOffsetDateTime(origin.arrivalTime) : undefined;
    if (at && origin) this.contacts?.setDayZero(at.epochMs - Math.round(origin.secOfDay * 1000));
  }

  /** Adds a call (in arrival order) with its decision from `decide`. */
  offer(call: ReplayCall, decision: CompactDecision | null): void {
    const seq = this.seq++;
    if (this.contacts) this.applyContactPolicy(call, decision);
    if (decision !== null) this.checkRoutable(call.callId);
    if (decision === null) {
      const queue = call.queue!;
      this.gaps.note(queue, call.arrivalSec);
      this.ivr.add(['overall', 'segment:direct', `queue:${queue}`], call.arrivalSec, null);
      this.centre.offer(this.offered(call, seq, 'direct', call.arrivalSec, { queue, priority: call.priority ?? DIRECT_PRIORITY_FALLBACK, overflow: [] }));
      return;
    }
    const keys = ['overall', `segment:${decision.segment}`];
    if (decision.route) keys.push(`queue:${decision.route.queue}`);
    this.ivr.add(keys, call.arrivalSec, decision);
    if (decision.route) {
      this.gaps.note(decision.route.queue, call.arrivalSec + decision.ivrSec);
      this.centre.offer(this.offered(call, seq, decision.segment, call.arrivalSec + decision.ivrSec, decision.route));
    } else {
      // Calls that never reach an agent still move the clock, so agents' time is accounted for.
      this.centre.advanceTo(call.arrivalSec);
    }
  }

  /**
   * A trace of ACD-level lines needs only the queues it names; a call through the IVR needs
   * every queue the routing rules can send it to.
   */
  private checkRoutable(callId: string): void {
    if (this.routeIssues.length > 0) throw new RoutesOutsideStaffingError(callId, this.routeIssues);
  }

  /** SMS are never sent in a replay: the policy is applied in simulated time and counted. */
  private applyContactPolicy(call: ReplayCall, decision: CompactDecision | null): void {
    this.contacts!.advanceTo(call.arrivalSec);
    if (!decision?.recipient) return; // set exactly when the call asks for SMS
    const { phone, timeZone } = decision.recipient;
    this.contacts!.add(call.callId, phone, timeZone, decision.sms, call.arrivalSec + decision.ivrSec);
  }

  private offered(call: ReplayCall, seq: number, segment: string, queuedSec: number, route: OfferedCall['route']): OfferedCall {
    const o: OfferedCall = { seq, callId: call.callId, segment, arrivalSec: call.arrivalSec, queuedSec, route, talkSec: call.talkSec };
    if (call.wrapSec !== undefined) o.wrapSec = call.wrapSec;
    if (call.patienceSec !== undefined) o.patienceSec = call.patienceSec;
    return o;
  }

  knowsQueue(queue: string): boolean {
    return this.queueIds.has(queue);
  }

  /** Drains the contact centre and builds the report. */
  report(info: Omit<ScenarioInfo, 'configVersion' | 'seed' | 'thresholdSec' | 'serviceLevelTarget' | 'intervalMin' | 'staffing'>, input: InputInfo): ReplayReport {
    if (!this.finished) {
      this.centre.finish();
      for (const g of this.centre.groupSeries()) this.byQueue.addAgentTime(g);
      this.finished = true;
    }
    const q = this.byQueue.report();
    const s = this.bySegment.report();
    const ivrOf = (key: string) => this.ivr.byKey.get(key) ?? emptyIvrSums();

    const bySegment: Record<string, KpiRow> = {};
    const segments = [...this.ivr.byKey.keys()].filter((k) => k.startsWith('segment:')).map((k) => k.slice(8)).sort();
    for (const seg of segments) bySegment[seg] = kpiRow(ivrOf(`segment:${seg}`), s.queues.find((x) => x.queue === seg)?.overall, false);

    const byQueue: Record<string, KpiRow> = {};
    for (const queue of this.scenario.staffing.queues.map((x) => x.id)) {
      const kq = q.queues.find((x) => x.queue === queue)?.overall;
      if (!kq && !this.ivr.byKey.has(`queue:${queue}`)) continue;
      byQueue[queue] = { ...kpiRow(ivrOf(`queue:${queue}`), kq, false), containmentRate: null };
    }

    const intervals = new Set<number>([...this.ivr.byInterval.keys(), ...q.intervals.map((i) => i.interval)]);
    const byInterval: IntervalRow[] = [...intervals]
      .sort((a, b) => a - b)
      .map((interval) => {
        const startSec = interval * this.intervalSec;
        const row = kpiRow(this.ivr.byInterval.get(interval) ?? emptyIvrSums(), q.intervals.find((i) => i.interval === interval), true);
        return { interval, startSec, start: clockLabel(startSec), ...row };
      });

    const byGroup: ReplayReport['byGroup'] = {};
    for (const g of q.groups) {
      byGroup[g.group] = {
        staffedAgentHours: Math.round((g.staffedAgentSec / 3600) * 100) / 100,
        busyAgentHours: Math.round((g.busyAgentSec / 3600) * 100) / 100,
        occupancy: g.occupancy === null ? null : Math.round(g.occupancy * 10_000) / 10_000,
      };
    }

    const staffing = this.scenario.staffing;
    return {
      ...kpiRow(ivrOf('overall'), q.overall, true),
      scenario: {
        ...info,
        configVersion: this.scenario.config.version,
        staffing: this.scenario.staffingSource,
        seed: this.scenario.seed,
        thresholdSec: staffing.serviceLevel.thresholdSec,
        serviceLevelTarget: staffing.serviceLevel.target,
        intervalMin: this.intervalSec / 60,
      },
      input,
      warnings: this.gaps.warnings(),
      bySegment,
      byQueue,
      byInterval,
      byGroup,
      series: {
        serviceLevel: q.queues.flatMap((x) =>
          x.intervals.map((i) => ({
            queue: x.queue,
            interval: i.interval,
            startSec: i.startSec,
            offered: i.offered,
            serviceLevel: i.answered + i.abandoned > 0 ? Math.round((i.answeredWithinThreshold / (i.answered + i.abandoned)) * 10_000) / 10_000 : null,
          })),
        ),
        queues: this.centre.queueSeries(),
        groups: this.centre.groupSeries(),
      },
      ...(this.contacts ? { contactPolicy: this.contacts.report() } : {}),
    };
  }
}
