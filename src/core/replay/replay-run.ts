import type { QueueBehaviour } from '../behaviour/queue-behaviour.js';
import type { ConfigIssue } from '../config/config-error.js';
import { routedQueueIssues, type Configuration } from '../configuration/configuration.js';
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
import { decisionsKey } from './decided-batches.js';
import { RoutesOutsideStaffingError } from './routes-outside-staffing-error.js';
import { Retrials, type PlayedCall } from './retrials.js';
import { StaffingGaps } from './staffing-gaps.js';
import { emptyIvrSums, IvrKpiAccumulator, mergeIvrSums, type IvrSums } from './ivr-kpis.js';
import { coverage, coveredSec, DAY_SEC, dateOfDay, slotOfDay, timeOfDaySeries, traceSpan } from './report-periods.js';
import {
  clockLabel,
  kpiRow,
  perHour,
  type DayRow,
  type InputInfo,
  type IntervalRow,
  type KpiRow,
  type ReplayReport,
  type ScenarioInfo,
  type TimeOfDayRow,
} from './replay-report.js';

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
  /**
   * Callers' patience and retrials (schemas/queue-behaviour.schema.json): lines without
   * patienceSec draw theirs, and retries depend on the simulation (see Retrials); `seed` drives
   * the draws. The report then counts `retrials`.
   */
  behaviour?: QueueBehaviour;
}

/** Priority of ACD-level trace lines that give none: the routing default's segment priority. */
export const DIRECT_PRIORITY_FALLBACK = 10;

/**
 * Replays calls against one scenario: each call is decided (flow + rules), handed-off calls
 * go through the discrete-event contact centre, and every figure is folded into running sums.
 * Feed calls in arrival order with `offer`, then call `report`.
 */
export class ReplayRun {
  readonly decider: CallDecider;
  /** Started at the first call, so that agent time counts from the minute the trace starts. */
  private centre: ContactCentre | null = null;
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
  private origin: TraceReadStats['origin'];
  private firstArrivalSec = NaN;
  private lastArrivalSec = NaN;
  private groupRows: ReturnType<ContactCentre['groupSeries']> = [];
  private queueRows: ReturnType<ContactCentre['queueSeries']> = [];
  /** Sees every call's outcome from the contact centre (compare joins them call by call). */
  private outcomeListener: ((o: CallOutcome, call: OfferedCall) => void) | undefined;
  /** With a queue-behaviour model: patience draws and retrials. */
  private retrials: Retrials | null = null;
  /** The first call of each retry's chain of calls, by the retry's id (the caller, for logs). */
  private readonly firstCallOf = new Map<string, string>();
  private readonly directRoutes = new Map<string, Map<number, OfferedCall['route']>>();

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
  }

  private centreFrom(arrivalSec: number): ContactCentre {
    if (this.centre) return this.centre;
    this.firstArrivalSec = arrivalSec;
    return (this.centre = new ContactCentre(this.scenario.staffing, {
      intervalSec: this.intervalSec,
      startSec: traceSpan(arrivalSec, arrivalSec).startSec,
      onOutcome: (o: CallOutcome, call: OfferedCall) => {
        this.byQueue.add(o);
        this.bySegment.add(o);
        this.retrials?.outcome(o);
        this.outcomeListener?.(o, call);
      },
      ...(this.retrials ? { onAbandon: (call: OfferedCall, atSec: number) => this.callAgain(call, atSec) } : {}),
    }));
  }

  /** Hands every call's outcome to `listener` as the contact centre settles it; set before the first call. */
  observeOutcomes(listener: (o: CallOutcome, call: OfferedCall) => void): void {
    this.outcomeListener = listener;
  }

  /**
   * With a queue-behaviour model, the callId of every call some line of the trace retries
   * (`retryOf`), before the first call: a hang-up of any other call may generate a retry.
   */
  setRecordedRetries(callIds: Iterable<string>): void {
    if (this.centre) throw new Error('setRecordedRetries comes before the first call');
    if (this.scenario.behaviour) this.retrials = new Retrials(this.scenario.behaviour, this.scenario.seed, new Set(callIds));
  }

  /** Where the trace's clock starts (see setTraceOrigin); undefined for a trace timed in seconds. */
  get traceOrigin(): TraceReadStats['origin'] {
    return this.origin;
  }

  /** The id of the first call in a call's chain of retries (its own, for a call that retries none): who called, for logs. */
  firstCallOfChain(callId: string): string {
    return this.firstCallOf.get(callId) ?? callId;
  }

  /** Decides one call; the returned decision is null for ACD-level lines (no IVR, no rules). */
  decide(call: DecideInput): CompactDecision | null {
    if (call.queue === undefined) this.checkRoutable(call.callId);
    return decideTraceCall(this.decider, this.scenario.seed, call, this.contacts !== null);
  }

  /** Runs with the same key decide every call alike (see decisionsKey). */
  decisionsKey(): string {
    const config = this.scenario.config;
    return decisionsKey({ version: config.version, customersFile: config.paths.customersFile, seed: this.scenario.seed, recipients: this.contacts !== null });
  }

  /**
   * Where the trace's clock starts: with arrivalTime, day 0 is the midnight before its first call
   * (in that line's offset); without, 1970-01-01 UTC. Quiet hours are read against it.
   */
  setTraceOrigin(origin: TraceReadStats['origin']): void {
    this.origin = origin;
    const at = origin ? parseOffsetDateTime(origin.arrivalTime) : undefined;
    if (at && origin) this.contacts?.setDayZero(at.epochMs - Math.round(origin.secOfDay * 1000));
  }

  /** Adds a call (in arrival order) with its decision from `decide`. */
  offer(call: ReplayCall, decision: CompactDecision | null): void {
    if (this.scenario.behaviour && !this.retrials) this.setRecordedRetries([]);
    const seq = this.seq++;
    const centre = this.centreFrom(call.arrivalSec);
    this.lastArrivalSec = call.arrivalSec;
    if (this.retrials && !this.retrials.playsNow({ call, decision })) {
      // A retry left out, or waiting for the simulated fate of the call it retries.
      centre.advanceTo(call.arrivalSec);
      return;
    }
    if (this.contacts) this.applyContactPolicy(call, decision);
    if (decision !== null) this.checkRoutable(call.callId);
    const offered = this.play(call, decision, seq);
    // Calls that never reach an agent still move the clock, so agents' time is accounted for.
    if (offered) centre.offer(offered);
    else centre.advanceTo(call.arrivalSec);
  }

  /** Counts a call's IVR part; the call for the agent queues, or undefined when it never gets there. */
  private play(call: ReplayCall, decision: CompactDecision | null, seq: number): OfferedCall | undefined {
    if (call.retryOf !== undefined) this.firstCallOf.set(call.callId, this.firstCallOfChain(call.retryOf));
    if (decision === null) {
      const queue = call.queue!;
      this.gaps.note(queue, call.arrivalSec);
      this.ivr.add('direct', queue, call.arrivalSec, null);
      return this.offered(call, seq, 'direct', call.arrivalSec, this.directRoute(queue, call.priority ?? DIRECT_PRIORITY_FALLBACK), decision);
    }
    this.ivr.add(decision.segment, decision.route?.queue, call.arrivalSec, decision);
    if (!decision.route) {
      this.retrials?.missedQueue(call);
      return undefined;
    }
    this.gaps.note(decision.route.queue, call.arrivalSec + decision.ivrSec);
    return this.offered(call, seq, decision.segment, call.arrivalSec + decision.ivrSec, decision.route, decision);
  }

  /** A caller hung up in the queue: the retry it releases or the model generates, played from the hang-up on. */
  private callAgain(abandoned: OfferedCall, atSec: number): OfferedCall | undefined {
    const next: PlayedCall | undefined = this.retrials!.afterAbandon(abandoned, atSec);
    return next && this.play(next.call, next.decision, this.seq++);
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

  /** The route of ACD-level lines to `queue` at `priority`: one object for all of them (the centre never changes a route). */
  private directRoute(queue: string, priority: number): OfferedCall['route'] {
    let byPriority = this.directRoutes.get(queue);
    if (!byPriority) this.directRoutes.set(queue, (byPriority = new Map()));
    let route = byPriority.get(priority);
    if (!route) byPriority.set(priority, (route = { queue, priority, overflow: [] }));
    return route;
  }

  private offered(call: ReplayCall, seq: number, segment: string, queuedSec: number, route: OfferedCall['route'], decision: CompactDecision | null): OfferedCall {
    const o: OfferedCall = { seq, callId: call.callId, segment, arrivalSec: call.arrivalSec, queuedSec, route, talkSec: call.talkSec };
    if (call.wrapSec !== undefined) o.wrapSec = call.wrapSec;
    const patienceSec = this.retrials ? this.retrials.patienceSec(call, route.queue) : call.patienceSec;
    if (patienceSec !== undefined) o.patienceSec = patienceSec;
    this.retrials?.entered({ call, decision });
    return o;
  }

  knowsQueue(queue: string): boolean {
    return this.queueIds.has(queue);
  }

  /** Drains the contact centre and builds the report. */
  report(info: Omit<ScenarioInfo, 'configVersion' | 'seed' | 'thresholdSec' | 'serviceLevelTarget' | 'intervalMin' | 'staffing'>, input: InputInfo): ReplayReport {
    const span = this.seq > 0 ? traceSpan(this.firstArrivalSec, this.lastArrivalSec) : { startSec: 0, endSec: 0, start: '00:00', end: '00:00', days: 0 };
    if (!this.finished) {
      if (this.centre) {
        // Queue lengths and agent time are read where the trace ends, before the calls still in
        // progress are played out: the agents' idle time after it is an artefact of the trace ending.
        this.centre.advanceTo(span.endSec);
        this.queueRows = this.centre.queueSeries(span.endSec);
        this.groupRows = this.centre.groupSeries(span.endSec);
        this.centre.finish();
      }
      this.retrials?.finish();
      for (const g of this.groupRows) this.byQueue.addAgentTime(g);
      this.finished = true;
    }
    const q = this.byQueue.report();
    const s = this.bySegment.report();
    const ivrByKey = this.ivr.byKey;
    const ivrOf = (key: string) => ivrByKey.get(key) ?? emptyIvrSums();

    const bySegment: Record<string, KpiRow> = {};
    const segments = [...ivrByKey.keys()].filter((k) => k.startsWith('segment:')).map((k) => k.slice(8)).sort();
    for (const seg of segments) bySegment[seg] = kpiRow(ivrOf(`segment:${seg}`), s.queues.find((x) => x.queue === seg)?.overall, false);

    const byQueue: Record<string, KpiRow> = {};
    for (const queue of this.scenario.staffing.queues.map((x) => x.id)) {
      const kq = q.queues.find((x) => x.queue === queue)?.overall;
      if (!kq && !ivrByKey.has(`queue:${queue}`)) continue;
      byQueue[queue] = { ...kpiRow(ivrOf(`queue:${queue}`), kq, false), containmentRate: null };
    }

    const intervals = new Set<number>([...this.ivr.byInterval.keys(), ...q.intervals.map((i) => i.interval)]);
    const byInterval: IntervalRow[] = [...intervals]
      .sort((a, b) => a - b)
      .map((interval) => {
        const startSec = interval * this.intervalSec;
        const row = kpiRow(this.ivr.byInterval.get(interval) ?? emptyIvrSums(), q.intervals.find((i) => i.interval === interval), true);
        return { interval, startSec, start: clockLabel(startSec), ...coverage(span, startSec, this.intervalSec, row.calls), ...row };
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
      span,
      bySegment,
      byQueue,
      byInterval,
      byDay: this.byDay(span),
      byTimeOfDay: this.byTimeOfDay(span),
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
        queues: this.queueRows,
        groups: this.groupRows,
        ...(span.days > 1 ? { byTimeOfDay: timeOfDaySeries(this.intervalSec, q.queues, this.queueRows, this.groupRows) } : {}),
      },
      ...(this.contacts ? { contactPolicy: this.contacts.report() } : {}),
      ...(this.retrials ? { retrials: { ...this.retrials.counts } } : {}),
    };
  }

  /** IVR sums of the intervals that `keyOf` maps to the same key. */
  private ivrRollUp(keyOf: (interval: number) => number): Map<number, IvrSums> {
    const out = new Map<number, IvrSums>();
    for (const [interval, sums] of this.ivr.byInterval) {
      const key = keyOf(interval);
      let target = out.get(key);
      if (!target) out.set(key, (target = emptyIvrSums()));
      mergeIvrSums(target, sums);
    }
    return out;
  }

  private byDay(span: ReturnType<typeof traceSpan>): DayRow[] {
    const dayOf = (interval: number) => Math.floor((interval * this.intervalSec) / DAY_SEC);
    const kpis = this.byQueue.rollUp(dayOf);
    const ivr = this.ivrRollUp(dayOf);
    const days = [...new Set([...kpis.keys(), ...ivr.keys()])].sort((a, b) => a - b);
    return days.map((day) => {
      const startSec = day * DAY_SEC;
      const row = kpiRow(ivr.get(day) ?? emptyIvrSums(), kpis.get(day), true);
      return { day, startSec, date: dateOfDay(this.origin, day), ...coverage(span, startSec, DAY_SEC, row.calls), ...row };
    });
  }

  private byTimeOfDay(span: ReturnType<typeof traceSpan>): TimeOfDayRow[] {
    const slotOf = (interval: number) => slotOfDay(interval, this.intervalSec);
    const kpis = this.byQueue.rollUp(slotOf);
    const ivr = this.ivrRollUp(slotOf);
    const covered = new Map<number, { days: number; sec: number }>();
    for (let interval = Math.floor(span.startSec / this.intervalSec); interval * this.intervalSec < span.endSec; interval++) {
      const sec = coveredSec(span, interval * this.intervalSec, this.intervalSec);
      const c = covered.get(slotOf(interval)) ?? { days: 0, sec: 0 };
      covered.set(slotOf(interval), { days: c.days + (sec > 0 ? 1 : 0), sec: c.sec + sec });
    }
    const slots = [...new Set([...kpis.keys(), ...ivr.keys()])].sort((a, b) => a - b);
    return slots.map((slot) => {
      const startSecOfDay = slot * this.intervalSec;
      const row = kpiRow(ivr.get(slot) ?? emptyIvrSums(), kpis.get(slot), true);
      const c = covered.get(slot) ?? { days: 0, sec: 0 };
      return { slot, startSecOfDay, start: clockLabel(startSecOfDay), days: c.days, lengthSec: c.sec, callsPerHour: perHour(row.calls, c.sec), ...row };
    });
  }
}
