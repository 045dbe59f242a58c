import type { KeyPress } from '../flows/key-presses.js';
import type { CustomerProfile, Language } from '../profile/customer-profile.js';
import type { CompactDecision, DecideInput, ReplayCall } from './compact-decision.js';
import type { DecidedBatch, TraceBatch, UndecidedBatch } from './decided-batches.js';

/** A decision without what varies call by call: a trace has a few hundred of these for millions of calls. */
type DecisionShape = Omit<CompactDecision, 'ivrSec' | 'recipient'>;

/**
 * A batch as it crosses between threads. Structured clone pays per object, and a million calls
 * with their decisions are millions of small objects; here a batch is a few typed arrays and
 * string lists, and each distinct decision shape crosses once, the first time it occurs (sender
 * and receiver number them in the same order).
 */
export interface WireBatch {
  callIds: string[];
  /** Per call: arrivalSec, talkSec, wrapSec, patienceSec, priority; NaN where the line has none. */
  numbers: Float64Array<ArrayBuffer>;
  /** Per call: the ACD-level line's queue, or null. */
  queues: (string | null)[];
  /** Per call: the callId it retries, or null; only on batches with a retry in them. */
  retryOf?: (string | null)[];
  /** Per call: observed.answered as 1 (true), 0 (false) or -1 (not given); only on batches where some call gives it. */
  answered?: Int8Array<ArrayBuffer>;
  decided?: WireDecisions;
  undecided?: WireInputs;
  origin?: TraceBatch['origin'];
}

interface WireDecisions {
  /** Per call and scenario (call × scenarios + scenario): the shape number, or -1 for no decision. */
  shapes: Int32Array<ArrayBuffer>;
  ivrSec: Float64Array<ArrayBuffer>;
  /** Recipients of the SMS where decisions carry them: at (call × scenarios + scenario), phone, time zone. */
  recipientAt: Int32Array<ArrayBuffer>;
  phones: string[];
  timeZones: (string | null)[];
  /** Shapes first seen in this batch, numbered on from the ones before. */
  newShapes: DecisionShape[];
}

/** What deciding reads of each call, for a batch left to the receiving thread to decide. */
interface WireInputs {
  callers: (string | null)[];
  profiles: (CustomerProfile | null)[];
  languages: (Language | null)[];
  /** Per call: hangupInIvrSec, or NaN. */
  hangupInIvrSec: Float64Array<ArrayBuffer>;
  /** Per call: where its keys end in `keys` and `afterSec` (they start where the previous call's end). */
  keyEnds: Int32Array<ArrayBuffer>;
  keys: string[];
  /** Per key press: afterSec, or NaN. */
  afterSec: Float64Array<ArrayBuffer>;
}

/** The typed arrays' buffers, to move to the receiving thread rather than copy. */
export function transferables(w: WireBatch): ArrayBuffer[] {
  const buffers = [w.numbers.buffer];
  if (w.answered) buffers.push(w.answered.buffer);
  if (w.decided) buffers.push(w.decided.shapes.buffer, w.decided.ivrSec.buffer, w.decided.recipientAt.buffer);
  if (w.undecided) buffers.push(w.undecided.hangupInIvrSec.buffer, w.undecided.keyEnds.buffer, w.undecided.afterSec.buffer);
  return buffers;
}

const CALL_NUMBERS = 5;

const orNaN = (x: number | undefined) => (x === undefined ? Number.NaN : x);

function shapeKey(d: CompactDecision): string {
  const route = d.route
    ? `${d.route.queue}\u0002${d.route.priority}\u0002${d.route.overflow.map((o) => `${o.afterSec}\u0003${o.queue}\u0003${o.priority}`).join('\u0002')}`
    : '\u0004';
  const sms = d.sms.map((m) => `${m.template}\u0003${m.class}`).join('\u0002');
  return `${d.segment}\u0001${d.outcome}\u0001${d.hotKey ?? '\u0004'}\u0001${route}\u0001${sms}\u0001${d.tags.join('\u0002')}`;
}

/** The sending side; one per stream of batches. */
export class BatchEncoder {
  private readonly shapeIds = new Map<string, number>();

  constructor(private readonly scenarios: number) {}

  encode(batch: TraceBatch): WireBatch {
    const n = batch.calls.length;
    const wire: WireBatch = { callIds: new Array<string>(n), numbers: new Float64Array(n * CALL_NUMBERS), queues: new Array<string | null>(n) };
    for (let i = 0; i < n; i++) {
      const c = batch.calls[i]!;
      wire.callIds[i] = c.callId;
      const o = i * CALL_NUMBERS;
      wire.numbers[o] = c.arrivalSec;
      wire.numbers[o + 1] = c.talkSec;
      wire.numbers[o + 2] = orNaN(c.wrapSec);
      wire.numbers[o + 3] = orNaN(c.patienceSec);
      wire.numbers[o + 4] = orNaN(c.priority);
      wire.queues[i] = c.queue ?? null;
      if (c.retryOf !== undefined) (wire.retryOf ??= new Array<string | null>(n).fill(null))[i] = c.retryOf;
      const answered = c.observed?.answered;
      if (answered !== undefined) (wire.answered ??= new Int8Array(n).fill(-1))[i] = answered ? 1 : 0;
    }
    if ('inputs' in batch) wire.undecided = encodeInputs(batch.inputs);
    else wire.decided = this.encodeDecisions(batch.decisions);
    if (batch.origin) wire.origin = batch.origin;
    return wire;
  }

  private encodeDecisions(decisions: DecidedBatch['decisions']): WireDecisions {
    const n = decisions.length;
    const s = this.scenarios;
    const w: WireDecisions = { shapes: new Int32Array(n * s), ivrSec: new Float64Array(n * s), recipientAt: new Int32Array(0), phones: [], timeZones: [], newShapes: [] };
    const recipientAt: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = decisions[i]!;
      for (let k = 0; k < s; k++) {
        const d = row[k]!;
        const at = i * s + k;
        if (d === null) {
          w.shapes[at] = -1;
          continue;
        }
        w.shapes[at] = this.shapeOf(d, w.newShapes);
        w.ivrSec[at] = d.ivrSec;
        if (d.recipient) {
          recipientAt.push(at);
          w.phones.push(d.recipient.phone);
          w.timeZones.push(d.recipient.timeZone ?? null);
        }
      }
    }
    w.recipientAt = Int32Array.from(recipientAt);
    return w;
  }

  private shapeOf(d: CompactDecision, fresh: DecisionShape[]): number {
    const key = shapeKey(d);
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapeIds.size;
      this.shapeIds.set(key, id);
      const route = d.route && { queue: d.route.queue, priority: d.route.priority, overflow: d.route.overflow };
      const sms = d.sms.map((m) => ({ template: m.template, class: m.class }));
      fresh.push({ segment: d.segment, outcome: d.outcome, hotKey: d.hotKey, route, sms, tags: d.tags });
    }
    return id;
  }
}

function encodeInputs(inputs: readonly DecideInput[]): WireInputs {
  const n = inputs.length;
  const w: WireInputs = {
    callers: new Array<string | null>(n),
    profiles: new Array<CustomerProfile | null>(n),
    languages: new Array<Language | null>(n),
    hangupInIvrSec: new Float64Array(n),
    keyEnds: new Int32Array(n),
    keys: [],
    afterSec: new Float64Array(0),
  };
  const afterSec: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = inputs[i]!;
    w.callers[i] = c.caller ?? null;
    w.profiles[i] = c.profile ?? null;
    w.languages[i] = c.language ?? null;
    w.hangupInIvrSec[i] = orNaN(c.hangupInIvrSec);
    for (const k of c.keys) {
      w.keys.push(k.key);
      afterSec.push(orNaN(k.afterSec));
    }
    w.keyEnds[i] = w.keys.length;
  }
  w.afterSec = Float64Array.from(afterSec);
  return w;
}

/** The receiving side; decodes the batches of one encoder, in the order they were encoded. */
export class BatchDecoder {
  private readonly shapes: DecisionShape[] = [];

  constructor(private readonly scenarios: number) {}

  decode(wire: WireBatch): TraceBatch {
    const n = wire.callIds.length;
    const calls = new Array<ReplayCall>(n);
    for (let i = 0; i < n; i++) {
      const o = i * CALL_NUMBERS;
      const c: ReplayCall = { callId: wire.callIds[i]!, arrivalSec: wire.numbers[o]!, talkSec: wire.numbers[o + 1]! };
      if (!Number.isNaN(wire.numbers[o + 2])) c.wrapSec = wire.numbers[o + 2]!;
      if (!Number.isNaN(wire.numbers[o + 3])) c.patienceSec = wire.numbers[o + 3]!;
      const queue = wire.queues[i];
      if (queue !== null && queue !== undefined) c.queue = queue;
      if (!Number.isNaN(wire.numbers[o + 4])) c.priority = wire.numbers[o + 4]!;
      const retryOf = wire.retryOf?.[i];
      if (retryOf !== null && retryOf !== undefined) c.retryOf = retryOf;
      const answered = wire.answered?.[i] ?? -1;
      if (answered >= 0) c.observed = { answered: answered === 1 };
      calls[i] = c;
    }
    const batch: TraceBatch = wire.undecided ? { calls, inputs: decodeInputs(wire.callIds, wire.queues, wire.undecided) } : { calls, decisions: this.decodeDecisions(n, wire.decided!) };
    if (wire.origin) batch.origin = wire.origin;
    return batch;
  }

  private decodeDecisions(n: number, w: WireDecisions): DecidedBatch['decisions'] {
    this.shapes.push(...w.newShapes);
    const s = this.scenarios;
    const decisions = new Array<(CompactDecision | null)[]>(n);
    let r = 0;
    for (let i = 0; i < n; i++) {
      const row = new Array<CompactDecision | null>(s);
      for (let k = 0; k < s; k++) {
        const at = i * s + k;
        const id = w.shapes[at]!;
        if (id < 0) {
          row[k] = null;
          continue;
        }
        const shape = this.shapes[id]!;
        const d: CompactDecision = { segment: shape.segment, outcome: shape.outcome, ivrSec: w.ivrSec[at]!, hotKey: shape.hotKey, route: shape.route, sms: shape.sms, tags: shape.tags };
        if (w.recipientAt[r] === at) {
          const timeZone = w.timeZones[r];
          d.recipient = timeZone === null || timeZone === undefined ? { phone: w.phones[r]! } : { phone: w.phones[r]!, timeZone };
          r++;
        }
        row[k] = d;
      }
      decisions[i] = row;
    }
    return decisions;
  }
}

function decodeInputs(callIds: readonly string[], queues: readonly (string | null)[], w: WireInputs): UndecidedBatch['inputs'] {
  const inputs = new Array<DecideInput>(callIds.length);
  let key = 0;
  for (let i = 0; i < callIds.length; i++) {
    const keys: KeyPress[] = [];
    for (const end = w.keyEnds[i]!; key < end; key++) {
      const afterSec = w.afterSec[key]!;
      keys.push(Number.isNaN(afterSec) ? { key: w.keys[key]! } : { key: w.keys[key]!, afterSec });
    }
    const c: DecideInput = { callId: callIds[i]!, keys };
    const caller = w.callers[i];
    if (caller !== null && caller !== undefined) c.caller = caller;
    const profile = w.profiles[i];
    if (profile !== null && profile !== undefined) c.profile = profile;
    const language = w.languages[i];
    if (language !== null && language !== undefined) c.language = language;
    if (!Number.isNaN(w.hangupInIvrSec[i])) c.hangupInIvrSec = w.hangupInIvrSec[i]!;
    const queue = queues[i];
    if (queue !== null && queue !== undefined) c.queue = queue;
    inputs[i] = c;
  }
  return inputs;
}
