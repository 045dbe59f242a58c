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

/** What the encoder reads of a call: a replay call, or the trace call itself (with `arrivalSec` given apart). */
export type WireCall = Omit<ReplayCall, 'arrivalSec'>;

/** What the encoder reads of a call left undecided: a DecideInput, or the trace call itself. */
export type WireInput = Omit<DecideInput, 'callId' | 'queue'>;

/** Grows a typed array to hold at least `n` entries, keeping its contents. */
function grown<T extends Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Int8Array<ArrayBuffer>>(a: T, n: number, make: (n: number) => T): T {
  if (n <= a.length) return a;
  const b = make(Math.max(n, a.length * 2));
  b.set(a as never);
  return b;
}

/**
 * Numbers distinct decision shapes. A shape's identity is read from its parts: the segment, the
 * outcome and the hot key by value, the route, the SMS and the tags by content, each content
 * numbered once per object that carries it (decisions share their route and SMS objects, so most
 * calls cost a few map look-ups and no string building).
 */
class ShapeIds {
  private readonly byObject = new WeakMap<object, number>();
  private readonly byContent = new Map<string, number>();
  private readonly byTag = new Map<string, number>();
  /** segment → outcome → hot key → route → sms → tags → shape number. */
  private readonly tree = new Map<string, Map<string, Map<string | null, Map<number, Map<number, Map<number, number>>>>>>();
  size = 0;

  /** The shape number of `d`; `fresh` receives the shape when it is new. */
  of(d: CompactDecision, fresh: DecisionShape[]): number {
    const route = d.route === null ? -1 : this.contentId(d.route, routeContent);
    const sms = this.contentId(d.sms, smsContent);
    const tags = d.tags.length === 0 ? -1 : d.tags.length === 1 ? this.oneTag(d.tags[0]!) : this.contentId(d.tags, tagsContent);
    const bySegment = step(this.tree, d.segment, () => new Map());
    const byOutcome = step(bySegment, d.outcome, () => new Map());
    const byHotKey = step(byOutcome, d.hotKey, () => new Map());
    const byRoute = step(byHotKey, route, () => new Map());
    const bySms = step(byRoute, sms, () => new Map());
    let id = bySms.get(tags);
    if (id === undefined) {
      id = this.size++;
      bySms.set(tags, id);
      fresh.push({ segment: d.segment, outcome: d.outcome, hotKey: d.hotKey, route: d.route && { queue: d.route.queue, priority: d.route.priority, overflow: d.route.overflow }, sms: d.sms.map((m) => ({ template: m.template, class: m.class })), tags: d.tags });
    }
    return id;
  }

  private contentId<T extends object>(o: T, content: (o: T) => string): number {
    let id = this.byObject.get(o);
    if (id === undefined) this.byObject.set(o, (id = this.content(content(o))));
    return id;
  }

  /** Tags are mostly one key, a string the configuration holds: numbered without building its content. */
  private oneTag(tag: string): number {
    let id = this.byTag.get(tag);
    if (id === undefined) this.byTag.set(tag, (id = this.content(tagsContent([tag]))));
    return id;
  }

  private content(key: string): number {
    let id = this.byContent.get(key);
    if (id === undefined) this.byContent.set(key, (id = this.byContent.size));
    return id;
  }
}

function step<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) map.set(key, (v = make()));
  return v;
}

const routeContent = (r: NonNullable<CompactDecision['route']>) =>
  `r\u0001${r.queue}\u0002${r.priority}\u0002${r.overflow.map((o) => `${o.afterSec}\u0003${o.queue}\u0003${o.priority}`).join('\u0002')}`;
const smsContent = (sms: CompactDecision['sms']) => `s\u0001${sms.map((m) => `${m.template}\u0003${m.class}`).join('\u0002')}`;
const tagsContent = (tags: CompactDecision['tags']) => `t\u0001${tags.join('\u0002')}`;

/**
 * The sending side; one per stream of batches. Calls are added one by one as they are read and
 * decided (`begin`, `addDecided` / `addUndecided`, `take`), so that what a batch keeps until it
 * is posted is these flat columns and the call ids, not the calls and decisions as objects: those
 * die young, where a batch of objects outlives minor collections and fills the old generation.
 */
export class BatchEncoder {
  private readonly shapes = new ShapeIds();
  private begun = false;
  private n = 0;
  private callIds: string[] = [];
  private numbers = new Float64Array(0);
  private queues: (string | null)[] = [];
  private retryOf: (string | null)[] | undefined;
  private answered: Int8Array<ArrayBuffer> | undefined;
  private undecided = false;
  // Decided batches.
  private shapeOf = new Int32Array(0);
  private ivrSec = new Float64Array(0);
  private recipientAt: number[] = [];
  private phones: string[] = [];
  private timeZones: (string | null)[] = [];
  private newShapes: DecisionShape[] = [];
  // Undecided batches.
  private callers: (string | null)[] = [];
  private profiles: (CustomerProfile | null)[] = [];
  private languages: (Language | null)[] = [];
  private hangupInIvrSec = new Float64Array(0);
  private keyEnds = new Int32Array(0);
  private keys: string[] = [];
  private afterSec: number[] = [];

  /** @param capacity calls a batch is expected to hold (it holds more if given more) */
  constructor(
    private readonly scenarios: number,
    private readonly capacity = 256,
  ) {}

  /** Whether the batch begun last is left to the receiving thread to decide. */
  get undecidedBatch(): boolean {
    return this.undecided;
  }

  /** Calls added since `begin`. */
  get size(): number {
    return this.n;
  }

  /** Starts a batch; `undecided`: its calls are left to the receiving thread to decide. */
  begin(undecided: boolean): void {
    const cap = this.capacity;
    this.begun = true;
    this.n = 0;
    this.undecided = undecided;
    this.callIds = [];
    this.numbers = new Float64Array(cap * CALL_NUMBERS);
    this.queues = [];
    this.retryOf = undefined;
    this.answered = undefined;
    if (undecided) {
      this.callers = [];
      this.profiles = [];
      this.languages = [];
      this.hangupInIvrSec = new Float64Array(cap);
      this.keyEnds = new Int32Array(cap);
      this.keys = [];
      this.afterSec = [];
    } else {
      this.shapeOf = new Int32Array(cap * this.scenarios);
      this.ivrSec = new Float64Array(cap * this.scenarios);
      this.recipientAt = [];
      this.phones = [];
      this.timeZones = [];
      this.newShapes = [];
    }
  }

  /** Adds a call of a decided batch with its decision in every scenario. */
  addDecided(call: WireCall, arrivalSec: number, decisions: readonly (CompactDecision | null)[]): void {
    if (!this.begun || this.undecided) throw new Error('addDecided needs a batch begun decided');
    const i = this.addCall(call, arrivalSec);
    const s = this.scenarios;
    this.shapeOf = grown(this.shapeOf, (i + 1) * s, (m) => new Int32Array(m));
    this.ivrSec = grown(this.ivrSec, (i + 1) * s, (m) => new Float64Array(m));
    for (let k = 0; k < s; k++) {
      const d = decisions[k]!;
      const at = i * s + k;
      if (d === null) {
        this.shapeOf[at] = -1;
        continue;
      }
      this.shapeOf[at] = this.shapes.of(d, this.newShapes);
      this.ivrSec[at] = d.ivrSec;
      if (d.recipient) {
        this.recipientAt.push(at);
        this.phones.push(d.recipient.phone);
        this.timeZones.push(d.recipient.timeZone ?? null);
      }
    }
  }

  /** Adds a call of an undecided batch with what deciding it reads. */
  addUndecided(call: WireCall, arrivalSec: number, input: WireInput): void {
    if (!this.begun || !this.undecided) throw new Error('addUndecided needs a batch begun undecided');
    const i = this.addCall(call, arrivalSec);
    this.hangupInIvrSec = grown(this.hangupInIvrSec, i + 1, (m) => new Float64Array(m));
    this.keyEnds = grown(this.keyEnds, i + 1, (m) => new Int32Array(m));
    this.callers.push(input.caller ?? null);
    this.profiles.push(input.profile ?? null);
    this.languages.push(input.language ?? null);
    this.hangupInIvrSec[i] = orNaN(input.hangupInIvrSec);
    for (const k of input.keys) {
      this.keys.push(k.key);
      this.afterSec.push(orNaN(k.afterSec));
    }
    this.keyEnds[i] = this.keys.length;
  }

  private addCall(c: WireCall, arrivalSec: number): number {
    const i = this.n++;
    this.numbers = grown(this.numbers, (i + 1) * CALL_NUMBERS, (m) => new Float64Array(m));
    this.callIds.push(c.callId);
    const o = i * CALL_NUMBERS;
    this.numbers[o] = arrivalSec;
    this.numbers[o + 1] = c.talkSec;
    this.numbers[o + 2] = orNaN(c.wrapSec);
    this.numbers[o + 3] = orNaN(c.patienceSec);
    this.numbers[o + 4] = orNaN(c.priority);
    this.queues.push(c.queue ?? null);
    if (c.retryOf !== undefined) {
      if (!this.retryOf) this.retryOf = new Array<string | null>(i).fill(null);
      this.retryOf[i] = c.retryOf;
    } else if (this.retryOf) this.retryOf.push(null);
    const answered = c.observed?.answered;
    if (answered !== undefined) {
      if (!this.answered) this.answered = new Int8Array(Math.max(this.capacity, i + 1)).fill(-1);
      this.answered = grown(this.answered, i + 1, (m) => new Int8Array(m).fill(-1));
      this.answered[i] = answered ? 1 : 0;
    } else if (this.answered && i >= this.answered.length) {
      this.answered = grown(this.answered, i + 1, (m) => new Int8Array(m).fill(-1));
    }
    return i;
  }

  /** The batch begun last, as it crosses (its arrays are handed over: `begin` the next one). */
  take(origin?: TraceBatch['origin']): WireBatch {
    if (!this.begun) throw new Error('take needs a batch begun');
    this.begun = false;
    const wire: WireBatch = { callIds: this.callIds, numbers: this.numbers, queues: this.queues };
    if (this.retryOf) wire.retryOf = this.retryOf;
    if (this.answered) wire.answered = this.answered;
    if (this.undecided) {
      wire.undecided = {
        callers: this.callers,
        profiles: this.profiles,
        languages: this.languages,
        hangupInIvrSec: this.hangupInIvrSec,
        keyEnds: this.keyEnds,
        keys: this.keys,
        afterSec: Float64Array.from(this.afterSec),
      };
    } else {
      wire.decided = { shapes: this.shapeOf, ivrSec: this.ivrSec, recipientAt: Int32Array.from(this.recipientAt), phones: this.phones, timeZones: this.timeZones, newShapes: this.newShapes };
    }
    if (origin) wire.origin = origin;
    return wire;
  }

  /** A whole batch at once (`begin`, every call, `take`). */
  encode(batch: TraceBatch): WireBatch {
    const undecided = 'inputs' in batch;
    this.begin(undecided);
    for (let i = 0; i < batch.calls.length; i++) {
      const c = batch.calls[i]!;
      if (undecided) this.addUndecided(c, c.arrivalSec, batch.inputs[i]!);
      else this.addDecided(c, c.arrivalSec, batch.decisions[i]!);
    }
    return this.take(batch.origin);
  }
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
