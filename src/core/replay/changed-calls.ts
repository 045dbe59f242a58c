import type { CallOutcome } from '../simulation/call-outcome.js';
import type { CompactDecision, ReplayCall } from './compact-decision.js';
import { DIRECT_PRIORITY_FALLBACK } from './replay-run.js';

/**
 * What compare looks at in every call, in the order transitions are listed:
 * - segment, flowOutcome (`selfServed`, `handoff`, `hangup`; `none` for ACD-level lines), queue
 *   and priority (where the rules sent it; `none` when not handed off), sms and tags (the
 *   templates and pop-up tags, sorted, comma-separated; `none` for none): what the IVR and rules decided;
 * - overflow (the queue the last overflow step offered the call to, or `none`), answeredBy (the
 *   agent group that answered, or `none`) and outcome (the call's fate, OUTCOME_CLASSES): what
 *   the contact centre did with it.
 */
export const CALL_FIELDS = ['segment', 'flowOutcome', 'queue', 'priority', 'overflow', 'answeredBy', 'outcome', 'sms', 'tags'] as const;
export type CallField = (typeof CALL_FIELDS)[number];

/**
 * A call's fate: finished in the IVR (selfServed), hung up there (hungUpInIvr), answered within
 * the scenario's service-level threshold or later, abandoned in the queue, or still waiting
 * when the simulation drained (unanswered: no agent for its queues ever logs in).
 */
export const OUTCOME_CLASSES = ['selfServed', 'hungUpInIvr', 'answeredInTime', 'answeredLate', 'abandoned', 'unanswered'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** One call's treatment in one scenario; `none` where a field does not apply. */
export type CallTreatment = Record<CallField, string> & {
  /** Seconds in the agent queues (not compared: it moves with almost any change); null when never queued. */
  waitSec: number | null;
};

export interface ChangedCall {
  callId: string;
  /** The fields that differ, in CALL_FIELDS order. */
  changed: CallField[];
  baseline: CallTreatment;
  candidate: CallTreatment;
}

export interface CallTransition {
  field: CallField;
  from: string;
  to: string;
  /** Calls that went from `from` to `to` in this field. */
  count: number;
}

/** `count` calls changed; each counts once there and once per changed field in `transitions`. */
export interface ChangedCallsSummary {
  count: number;
  transitions: CallTransition[];
}

const F = CALL_FIELDS.length;
const FIELD = Object.fromEntries(CALL_FIELDS.map((f, i) => [f, i])) as Record<CallField, number>;
const NONE = 'none';
/** Code of a centre field whose outcome is still to come. */
const PENDING = -1;

/** A call whose outcome is still to come in at least one scenario. */
interface Pending {
  order: number;
  /** Value codes, baseline's F then candidate's F. */
  codes: Int32Array;
  waits: [number, number];
}

/**
 * Joins what two scenarios decided and what their contact centres did, call by call, and keeps
 * only the calls that differ. Feed it every call (`addCall`, in arrival order) and every outcome
 * of both centres (`addOutcome`), in any interleaving; then read `summary` and `changedCalls`.
 *
 * Memory: a call is held in full only until both outcomes are in (the calls in progress); a
 * changed call is then kept as value codes in typed arrays (18 small integers and two waits, some
 * 90 bytes plus its id), every distinct value string once.
 */
export class ChangedCallCollector {
  private readonly values: string[] = [];
  private readonly codeOf = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private calls = 0;
  private kept = 0;
  private ids: string[] = [];
  private orders = new Float64Array(256);
  private codes = new Int32Array(256 * 2 * F);
  private waits = new Float64Array(256 * 2);
  private readonly transitions = new Map<string, number>();

  /** `thresholdSec`: each scenario's service-level threshold, for answered in time or late. */
  constructor(private readonly thresholdSec: readonly [baseline: number, candidate: number]) {}

  /** Calls compared so far. */
  get compared(): number {
    return this.calls;
  }

  /** Calls whose outcome is not yet known in both scenarios. */
  get inProgress(): number {
    return this.pending.size;
  }

  /** A call with both scenarios' decisions (null for an ACD-level line, which skips the IVR). */
  addCall(call: ReplayCall, baseline: CompactDecision | null, candidate: CompactDecision | null): void {
    // A call neither scenario queues (self-served, hung up in the IVR) is settled at once, without the map.
    const queued = (d: CompactDecision | null) => d === null || d.route !== null;
    const p = queued(baseline) || queued(candidate) ? this.entry(call.callId) : this.cleared(this.scratch);
    p.order = this.calls++;
    this.decided(p, 0, call, baseline);
    this.decided(p, 1, call, candidate);
    this.settleIfDone(call.callId, p);
  }

  /** An outcome from the contact centre of the baseline (0) or the candidate (1). */
  addOutcome(side: 0 | 1, o: CallOutcome): void {
    const p = this.entry(o.callId);
    const at = side * F;
    p.codes[at + FIELD.overflow] = this.code(o.overflowQueue ?? NONE);
    p.codes[at + FIELD.answeredBy] = this.code(o.agentGroup ?? NONE);
    const fate: OutcomeClass = o.answered ? (o.waitSec <= this.thresholdSec[side] ? 'answeredInTime' : 'answeredLate') : o.abandoned ? 'abandoned' : 'unanswered';
    p.codes[at + FIELD.outcome] = this.code(fate);
    p.waits[side] = o.waitSec;
    this.settleIfDone(o.callId, p);
  }

  summary(): ChangedCallsSummary {
    this.checkDone();
    const transitions: CallTransition[] = [...this.transitions].map(([key, count]) => {
      const [field, from, to] = key.split('\u0000') as [CallField, string, string];
      return { field, from, to, count };
    });
    transitions.sort((a, b) => FIELD[a.field] - FIELD[b.field] || b.count - a.count || cmp(a.from, b.from) || cmp(a.to, b.to));
    return { count: this.kept, transitions };
  }

  /** The changed calls in arrival order. */
  *changedCalls(): Generator<ChangedCall> {
    this.checkDone();
    const index = Array.from({ length: this.kept }, (_, i) => i).sort((a, b) => this.orders[a]! - this.orders[b]!);
    for (const i of index) {
      const side = (s: 0 | 1): CallTreatment => {
        const t = {} as CallTreatment;
        for (let f = 0; f < F; f++) t[CALL_FIELDS[f]!] = this.values[this.codes[(i * 2 + s) * F + f]!]!;
        const w = this.waits[i * 2 + s]!;
        t.waitSec = Number.isNaN(w) ? null : Math.round(w * 10) / 10;
        return t;
      };
      const baseline = side(0);
      const candidate = side(1);
      yield { callId: this.ids[i]!, changed: CALL_FIELDS.filter((f) => baseline[f] !== candidate[f]), baseline, candidate };
    }
  }

  private readonly scratch: Pending = { order: -1, codes: new Int32Array(2 * F), waits: [NaN, NaN] };

  private cleared(p: Pending): Pending {
    p.codes.fill(PENDING);
    p.waits[0] = NaN;
    p.waits[1] = NaN;
    return p;
  }

  private entry(callId: string): Pending {
    let p = this.pending.get(callId);
    if (!p) {
      p = { order: -1, codes: new Int32Array(2 * F).fill(PENDING), waits: [NaN, NaN] };
      this.pending.set(callId, p);
    }
    return p;
  }

  private decided(p: Pending, side: 0 | 1, call: ReplayCall, d: CompactDecision | null): void {
    const at = side * F;
    const set = (f: CallField, v: string) => (p.codes[at + FIELD[f]] = this.code(v));
    if (d === null) {
      set('segment', 'direct');
      set('flowOutcome', NONE);
      set('queue', call.queue!);
      set('priority', String(call.priority ?? DIRECT_PRIORITY_FALLBACK));
      set('sms', NONE);
      set('tags', NONE);
    } else {
      set('segment', d.segment);
      set('flowOutcome', d.outcome);
      set('queue', d.route?.queue ?? NONE);
      set('priority', d.route ? String(d.route.priority) : NONE);
      set('sms', list(d.sms.map((s) => s.template)));
      set('tags', list(d.tags));
    }
    // A call queued for agents gets the rest from its contact centre's outcome (maybe in already).
    if (d === null || d.route !== null) return;
    set('overflow', NONE);
    set('answeredBy', NONE);
    set('outcome', d!.outcome === 'selfServed' ? 'selfServed' : d!.outcome === 'hangup' ? 'hungUpInIvr' : 'unanswered');
  }

  private settleIfDone(callId: string, p: Pending): void {
    if (p.order < 0 || p.codes[FIELD.outcome] === PENDING || p.codes[F + FIELD.outcome] === PENDING) return;
    this.pending.delete(callId);
    let changed = false;
    for (let f = 0; f < F; f++) {
      const a = p.codes[f]!;
      const b = p.codes[F + f]!;
      if (a === b) continue;
      changed = true;
      const key = `${CALL_FIELDS[f]}\u0000${this.values[a]}\u0000${this.values[b]}`;
      this.transitions.set(key, (this.transitions.get(key) ?? 0) + 1);
    }
    if (changed) this.keep(callId, p);
  }

  private keep(callId: string, p: Pending): void {
    const i = this.kept++;
    if (i === this.orders.length) {
      this.orders = grow(this.orders, Float64Array);
      this.codes = grow(this.codes, Int32Array);
      this.waits = grow(this.waits, Float64Array);
    }
    this.ids.push(callId);
    this.orders[i] = p.order;
    this.codes.set(p.codes, i * 2 * F);
    this.waits[i * 2] = p.waits[0];
    this.waits[i * 2 + 1] = p.waits[1];
  }

  private code(value: string): number {
    let c = this.codeOf.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.codeOf.set(value, c);
    }
    return c;
  }

  private checkDone(): void {
    if (this.pending.size > 0) {
      const [callId] = this.pending.keys();
      throw new Error(`${this.pending.size} calls still without an outcome in both scenarios (first: ${callId}); read the changes after both reports are built`);
    }
  }
}

/** Calls that changed in each field (fields without change left out), in CALL_FIELDS order. */
export function callsByField(s: ChangedCallsSummary): Map<CallField, number> {
  const out = new Map<CallField, number>();
  for (const f of CALL_FIELDS) {
    const n = s.transitions.filter((t) => t.field === f).reduce((sum, t) => sum + t.count, 0);
    if (n > 0) out.set(f, n);
  }
  return out;
}

const list = (xs: readonly string[]) => (xs.length === 0 ? NONE : [...xs].sort().join(','));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function grow<T extends Float64Array | Int32Array>(a: T, Kind: { new (n: number): T }): T {
  const b = new Kind(a.length * 2);
  b.set(a);
  return b;
}
