import type { AnyMachineSnapshot } from 'xstate';
import { LANGUAGES, type Language } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import type { FlowStepper, SayAction, SayPlan, StepEdge, StepNode } from './flow-stepper.js';
import { ivrResultOf, roundSec, type IvrOutcome, type IvrResult, type TranscriptEntry } from './ivr-result.js';
import type { KeyPress } from './key-presses.js';
import { NamedError } from '../errors/named-error.js';
import { DTMF_KEYS } from './flow-types.js';

/**
 * The IVR, played. One resumable player: the CLI, the replay and the designer hand it a list of
 * key presses (`play`); a live call resumes it once per webhook from the state it paused in
 * (`resume`, `IvrPause`). The IVR's timing rules live here and nowhere else:
 *
 * - prompts take their catalogued duration on the call's clock (seconds from arrival);
 * - states without an input wait pass on when their prompts end (PROMPT_END), in the same turn;
 * - at an input wait the caller has the prompts plus `timeoutSec` to press a key; a key pressed
 *   during the prompts interrupts them when the state allows barge-in, otherwise it is heard as
 *   the prompts end; no key in the window takes the NO_INPUT path;
 * - a flow that takes MAX_STEPS steps without ending (in one go, or in one turn of a live call)
 *   is a designer error.
 */

/** A flow that does not end within this many steps is a designer error (a loop without a bound). */
export const MAX_STEPS = 500;
/** How far past a window a live key is placed so that a replay treats that window as ended without input. */
const EPSILON_SEC = 0.001;
/** Format of IvrPause; bumped when its shape changes. */
export const IVR_PAUSE_FORMAT = 2;

export class FlowLoopError extends NamedError {
  readonly code = 'FLOW_LOOP';
  constructor(flowId: string, state: string) {
    super(`flow ${flowId} did not end after ${MAX_STEPS} steps (last state ${state}); is there a loop without a retry bound?`);
    this.name = 'FlowLoopError';
  }
}

/** A flow state that cannot be resumed (it does not belong to this flow, or is not a wait). */
export class IvrResumeError extends NamedError {
  readonly code = 'IVR_RESUME';
  constructor(message: string) {
    super(message);
    this.name = 'IvrResumeError';
  }
}

/** A prompt as played: the text (in the language it is in) and, when recorded, its audio. */
export interface PlayedPrompt {
  id: string;
  language: Language;
  text: string;
  durationSec: number;
  audioUrl?: string;
}

/** XState's persisted snapshot, with the caller's facts in its context. */
export interface PersistedFlow {
  status: string;
  value: unknown;
  context: Record<string, unknown> & { facts?: Facts };
}

/**
 * A call paused at an input wait: everything needed to go on, as plain JSON. Times are seconds on
 * the call's clock (from arrival, prompts taking their catalogued duration).
 */
export interface IvrPause {
  v: typeof IVR_PAUSE_FORMAT;
  flowId: string;
  /** The flow machine at the wait (XState persisted snapshot, this caller's facts in its context). */
  snapshot: PersistedFlow;
  /** The waiting state. */
  state: string;
  /** When the turn that led here started playing (announcements come before the wait's prompts). */
  turnStartSec: number;
  /** When the waiting state's own prompts start, and how long they are. */
  promptsStartSec: number;
  promptSec: number;
  timeoutSec: number;
  bargeIn: boolean;
  /** Keys taken so far, timed from arrival. */
  keys: { key: string; atSec: number }[];
  /**
   * Longest input window that ended without a key since the last key. A key list has no "no
   * input" marker: a replay skips a wait only when the next key comes after its window.
   */
  noInputFloorSec: number | null;
}

export interface PlayOptions {
  language: Language;
  /** Picks among rotating prompts; use a stable hash of the call id. */
  rotation: number;
  /** Build the transcript with rendered prompt texts (for `ivr-sim call`, the designer, tests). */
  transcript?: boolean;
  /** Keep the prompts of the current turn, rendered, for a live call to speak. */
  spoken?: boolean;
  /** The caller hangs up at this time (seconds from arrival) unless the call has left the IVR. */
  hangupAtSec?: number | undefined;
  /** Keep no log of the keys taken (the result's `keys` stays empty): for a replay's compact decisions, which do not read it. */
  outline?: boolean;
}

export function pickPrompt(say: SayAction, rotation: number): string | undefined {
  if (say.rotate && say.rotate.length) return say.rotate[rotation % say.rotate.length];
  return say.prompt;
}

/** Plays one flow. Stateless apart from the stepper's memo: calls in progress are IvrCall objects or IvrPause JSON. */
export class IvrPlayer {
  /** Whether the edges are memoised, and so worth compiling (SayPlan) the first time a call takes them. */
  readonly compiles: boolean;

  constructor(
    readonly stepper: FlowStepper,
    readonly prompts: PromptCatalog,
  ) {
    this.compiles = stepper.memoised;
  }

  get flowId(): string {
    return this.stepper.flow.id;
  }

  /** Plays a whole call: each key is offered at the next wait (see IvrCall.offer). Pure. */
  play(facts: Facts, keys: readonly KeyPress[], opts: PlayOptions): IvrResult {
    return this.playCall(facts, keys, opts).result!;
  }

  /** `play`, giving the finished call (its `result`, and the node it ended at: `endNode`). */
  playCall(facts: Facts, keys: readonly KeyPress[], opts: PlayOptions): IvrCall {
    const call = this.start(facts, opts);
    let k = 0;
    while (call.result === null) if (call.offer(keys[k])) k++;
    call.result.unusedKeys = keys.length - k;
    return call;
  }

  /** The call enters the flow and plays up to its first wait (or its end). */
  start(facts: Facts, opts: PlayOptions): IvrCall {
    const call = new IvrCall(this, facts, opts, 0, [], null);
    call.run(this.stepper.start(facts), 0);
    return call;
  }

  /** A call paused at a wait, ready for its next event. Throws IvrResumeError when the pause does not fit this flow. */
  resume(pause: IvrPause, opts: PlayOptions): IvrCall {
    const facts = pause.snapshot?.context?.facts;
    if ((pause.v as number) !== IVR_PAUSE_FORMAT) throw new IvrResumeError(`IVR state format ${String(pause.v)}, expected ${IVR_PAUSE_FORMAT}`);
    if (pause.snapshot?.status !== 'active' || !facts) throw new IvrResumeError('no active flow snapshot');
    if (!Array.isArray(pause.keys) || typeof pause.promptsStartSec !== 'number' || typeof pause.promptSec !== 'number' || typeof pause.timeoutSec !== 'number') {
      throw new IvrResumeError('the IVR state lacks its wait (keys, prompt and timeout times)');
    }
    let node = this.stepper.lookup(facts, pause.snapshot);
    if (!node) {
      try {
        const snapshot: AnyMachineSnapshot = this.stepper.flow.machine.resolveState({ value: pause.snapshot.value as never, context: pause.snapshot.context as never });
        node = this.stepper.nodeFor(snapshot);
      } catch (err) {
        throw new IvrResumeError(`flow ${this.flowId} cannot resume the stored state: ${(err as Error).message}`);
      }
    }
    const call = new IvrCall(this, facts, opts, pause.turnStartSec, [...pause.keys], pause.noInputFloorSec);
    call.waitAt(node, pause.promptsStartSec, pause.promptSec, pause.timeoutSec, pause.bargeIn);
    return call;
  }
}

/**
 * A call being played: waiting at an input state (`result` null), or out of the IVR (`result`).
 * Mutable, kept for one call (`play`) or one webhook (`resume`).
 */
export class IvrCall {
  // Every field is set in the constructor (and only there: `declare`) with a value of its type. This
  // object is made for each replayed call; V8 keeps number fields unboxed when they never held anything else.
  declare result: IvrResult | null;
  /** The wait the call is in (when `result` is null). */
  declare node: StepNode;
  /** The node the call left the IVR at (when `result` is set): its context is the result's. */
  declare endNode: StepNode;
  /** When the current turn started. */
  declare turnStartSec: number;
  declare promptsStartSec: number;
  declare promptSec: number;
  /** The wait's input spec: seconds to press a key after the prompts, and whether keys interrupt them. */
  declare timeoutSec: number;
  declare bargeIn: boolean;
  /** Prompts of the current turn (with `spoken`), and where the waiting state's own prompts start among them. */
  declare readonly heard: PlayedPrompt[];
  declare heardFrom: number;
  /** Replay time at which the current turn ended (the call left the IVR, or its wait ran out). */
  declare endSec: number;
  declare noInputFloorSec: number | null;
  declare readonly keys: { key: string; atSec: number }[];
  declare readonly facts: Facts;
  declare readonly transcript: TranscriptEntry[] | undefined;
  declare private readonly player: IvrPlayer;
  declare private readonly opts: PlayOptions;
  declare private steps: number;
  /** The language's index in LANGUAGES when the player compiles its edges' prompts, else -1. */
  declare private readonly languageIndex: number;
  /** The caller's table of prompt durations (PromptCatalog.durationsOf), fetched by the first compiled edge. */
  declare private durations: Float64Array | null;

  constructor(player: IvrPlayer, facts: Facts, opts: PlayOptions, turnStartSec: number, keys: { key: string; atSec: number }[], noInputFloorSec: number | null) {
    this.result = null;
    this.node = NO_NODE;
    this.endNode = NO_NODE;
    this.turnStartSec = turnStartSec;
    this.promptsStartSec = 0;
    this.promptSec = 0;
    this.timeoutSec = 0;
    this.bargeIn = true;
    this.heard = opts.spoken ? [] : NOTHING_HEARD;
    this.heardFrom = 0;
    this.endSec = 0;
    this.noInputFloorSec = noInputFloorSec;
    this.keys = keys;
    this.facts = facts;
    this.transcript = opts.transcript ? [] : undefined;
    this.player = player;
    this.opts = opts;
    this.steps = 0;
    this.languageIndex = player.compiles ? LANGUAGES.indexOf(opts.language) : -1;
    this.durations = null;
  }

  /** The input window: the waiting state's prompts, then the timeout. */
  get windowSec(): number {
    return this.promptSec + this.timeoutSec;
  }

  /**
   * The next key of a list, if it comes in this wait's window (`afterSec`, default: as the prompts
   * end); otherwise the window runs out. True when the key was taken.
   */
  offer(press: KeyPress | undefined): boolean {
    const pressedAt = press ? (press.afterSec ?? this.promptSec) : Infinity;
    if (press && pressedAt <= this.windowSec) return this.key(press.key, pressedAt);
    this.noInput();
    return false;
  }

  /**
   * A key pressed `afterSec` after the waiting state's prompts started (inside the window).
   * False when the caller hung up before it was heard.
   */
  key(key: string, afterSec: number): boolean {
    // Without barge-in a key pressed during the prompts is heard once they end.
    const after = this.bargeIn ? afterSec : Math.max(afterSec, this.promptSec);
    const at = this.promptsStartSec + after;
    if (this.hangsUpBefore(at)) return false;
    if (this.opts.outline !== true) this.keys.push({ key, atSec: roundSec(at) });
    this.transcript?.push({ atSec: roundSec(at), kind: 'key', state: this.node.state.path, key, bargeIn: after < this.promptSec });
    this.noInputFloorSec = null;
    this.next(KEY_EVENTS.get(key) ?? `KEY.${key}`, at);
    return true;
  }

  /** The window ran out without a key. */
  noInput(): void {
    const at = this.promptsStartSec + this.windowSec;
    if (this.hangsUpBefore(at)) return;
    this.transcript?.push({ atSec: roundSec(at), kind: 'noInput', state: this.node.state.path });
    this.noInputFloorSec = Math.max(this.noInputFloorSec ?? 0, this.windowSec);
    this.next('NO_INPUT', at);
  }

  /**
   * A key a live caller pressed `elapsedSec` (wall clock) after the wait's prompts started, placed
   * so that a replay of the recorded keys (`offer`) takes it in this same wait: inside the window
   * (network delay must not push it out), and after any window that ran out since the last key.
   * `exact` is false when that was impossible (a replay would take the key at an earlier wait).
   */
  placeKey(elapsedSec: number): { afterSec: number; exact: boolean } {
    const windowSec = this.windowSec;
    let afterSec = roundSec(clamp(elapsedSec, 0, windowSec));
    const floor = this.noInputFloorSec;
    if (floor !== null && afterSec <= floor) {
      const placed = roundSec(floor + EPSILON_SEC);
      if (placed > windowSec) return { afterSec, exact: false };
      afterSec = placed;
    }
    return { afterSec, exact: true };
  }

  /** Serialisable state of the call at its wait. */
  pause(): IvrPause {
    const node = this.node;
    const persisted = this.player.stepper.flow.machine.getPersistedSnapshot(node.snapshot) as unknown as PersistedFlow;
    return {
      v: IVR_PAUSE_FORMAT,
      flowId: this.player.flowId,
      // The memoised stepper shares nodes between callers whose guards read the same facts: store this caller's.
      snapshot: { ...persisted, context: { ...persisted.context, facts: this.facts } },
      state: node.state.path,
      turnStartSec: this.turnStartSec,
      promptsStartSec: this.promptsStartSec,
      promptSec: this.promptSec,
      timeoutSec: this.timeoutSec,
      bargeIn: this.bargeIn,
      keys: this.keys,
      noInputFloorSec: this.noInputFloorSec,
    };
  }

  /** @internal The call waits at `node`; its window as when the wait began. */
  waitAt(node: StepNode, promptsStartSec: number, promptSec: number, timeoutSec: number, bargeIn: boolean): void {
    this.node = node;
    this.promptsStartSec = promptsStartSec;
    this.promptSec = promptSec;
    this.timeoutSec = timeoutSec;
    this.bargeIn = bargeIn;
  }

  /** @internal Plays from `edge` at time `t` until the call waits for input or leaves the flow. */
  run(first: StepEdge, t: number): void {
    const hangupAt = this.opts.hangupAtSec;
    let edge = first;
    for (;;) {
      if (this.steps++ >= MAX_STEPS) throw new FlowLoopError(this.player.flowId, edge.node.state.path);
      const node = edge.node;
      const from = this.heard.length;
      const promptSec = this.playSays(edge, t);
      if (node.done) {
        const end = t + promptSec;
        if (hangupAt !== undefined && hangupAt < end) return this.hangUp(node, hangupAt);
        return this.finish(node, node.outcome!, end);
      }
      if (node.input) {
        this.waitAt(node, t, promptSec, node.input.timeoutSec, node.input.bargeIn !== false);
        this.heardFrom = from;
        return;
      }
      const at = t + promptSec;
      if (hangupAt !== undefined && hangupAt < at) return this.hangUp(node, hangupAt);
      t = at;
      edge = this.player.stepper.step(node, 'PROMPT_END', this.facts);
    }
  }

  private next(eventType: string, at: number): void {
    if (this.opts.spoken) this.heard.length = 0;
    this.heardFrom = 0;
    this.turnStartSec = at;
    this.run(this.player.stepper.step(this.node, eventType, this.facts), at);
  }

  private hangsUpBefore(at: number): boolean {
    const hangupAt = this.opts.hangupAtSec;
    if (hangupAt === undefined || hangupAt >= at) return false;
    this.hangUp(this.node, hangupAt);
    return true;
  }

  private playSays(edge: StepEdge, at: number): number {
    const { opts, facts } = this;
    const prompts = this.player.prompts;
    const transcript = this.transcript;
    const render = transcript !== undefined || opts.spoken === true;
    if (!render && this.languageIndex >= 0) {
      const plan = edge.plan ?? (edge.plan = planOf(edge.says, prompts));
      if (plan !== NO_PLAN) return planSec(plan, prompts, this.durations ?? (this.durations = prompts.durationsOf(facts)), facts, opts.language, this.languageIndex, opts.rotation);
    }
    let d = 0;
    if (transcript) transcript.push({ atSec: roundSec(at), kind: 'state', state: edge.node.state.path });
    for (const say of edge.says) {
      const id = pickPrompt(say, opts.rotation);
      if (!id) continue;
      if (render) {
        const r = prompts.render(id, facts, opts.language);
        transcript?.push({ atSec: roundSec(at + d), kind: 'prompt', state: edge.node.state.path, promptId: id, text: r.text, durationSec: r.durationSec });
        if (opts.spoken) {
          const p: PlayedPrompt = { id, language: r.language, text: r.text, durationSec: r.durationSec };
          if (r.audioUrl) p.audioUrl = r.audioUrl;
          this.heard.push(p);
        }
        d += r.durationSec;
      } else {
        d += prompts.durationSec(id, facts, opts.language);
      }
    }
    return d;
  }

  private hangUp(node: StepNode, at: number): void {
    this.transcript?.push({ atSec: roundSec(at), kind: 'hangup', state: node.state.path });
    this.finish(node, 'hangup', at);
  }

  private finish(node: StepNode, outcome: IvrOutcome, at: number): void {
    this.endSec = at;
    this.endNode = node;
    const result = ivrResultOf(outcome, node.state.path, at, node.context, this.keys, 0);
    if (this.transcript) result.transcript = this.transcript;
    this.result = result;
  }
}

/**
 * A live caller hung up `elapsedSec` (wall clock) after the turn of the wait `pause` started. The
 * hang-up is placed inside that wait on the call's clock, so that a replay hangs up at the same
 * point. Needs no flow: everything is in the pause.
 */
export function hangUpPaused(pause: IvrPause, elapsedSec: number): IvrResult {
  const lastSec = pause.promptsStartSec - pause.turnStartSec + pause.promptSec + pause.timeoutSec - EPSILON_SEC;
  const atSec = pause.turnStartSec + clamp(elapsedSec, 0, Math.max(0, lastSec));
  const c = pause.snapshot?.context as unknown as Parameters<typeof ivrResultOf>[3];
  return ivrResultOf('hangup', pause.state, atSec, c ?? null, pause.keys.map((k) => ({ key: k.key, atSec: k.atSec })), 0);
}

/** The event of each DTMF key, built once rather than per key pressed. */
const KEY_EVENTS: ReadonlyMap<string, string> = new Map(DTMF_KEYS.map((k) => [k, `KEY.${k}`]));

/** The plan of an edge whose says cannot be compiled (a prompt the catalogue lacks): it is played say by say, which reports the error. */
const NO_PLAN: SayPlan = { says: [], sumSec: null };

/** Compiles an edge's says against the catalogue (see SayPlan). */
function planOf(says: readonly SayAction[], prompts: PromptCatalog): SayPlan {
  const out: (number | readonly number[])[] = [];
  let fixed = true;
  const indexOf = (id: string | undefined): number => {
    const i = id ? prompts.indexOf(id) : -1;
    if (i >= 0 && !prompts.isFixed(i)) fixed = false;
    return i;
  };
  for (const say of says) {
    if (say.rotate && say.rotate.length) {
      const ids = say.rotate.map(indexOf);
      if (ids.includes(-1)) return NO_PLAN;
      out.push(ids);
      fixed = false;
    } else if (say.prompt) {
      const i = indexOf(say.prompt);
      if (i < 0) return NO_PLAN;
      out.push(i);
    }
  }
  return { says: out, sumSec: fixed ? new Float64Array(LANGUAGES.length).fill(NaN) : null };
}

/** What playing a compiled edge takes: the same sum, in the same order, as playing its says one by one (pickPrompt, durationSec). */
function planSec(plan: SayPlan, prompts: PromptCatalog, table: Float64Array, facts: Facts, language: Language, languageIndex: number, rotation: number): number {
  const sum = plan.sumSec;
  if (sum !== null) {
    const known = sum[languageIndex]!;
    if (known === known) return known;
  }
  let d = 0;
  const says = plan.says;
  for (let k = 0; k < says.length; k++) {
    const say = says[k]!;
    const i = typeof say === 'number' ? say : say[rotation % say.length];
    // pickPrompt's rotation index can miss (a rotation that is not a whole number): nothing is said.
    if (i !== undefined) d += prompts.durationIn(table, i, facts, language, languageIndex);
  }
  if (sum !== null) sum[languageIndex] = d;
  return d;
}

/** Stands for the node of a call that has not reached one yet (never read: `run` sets the node or the result). */
const NO_NODE = null as unknown as StepNode;
/** `heard` of a call that does not keep its prompts (never written to). */
const NOTHING_HEARD: PlayedPrompt[] = [];

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
