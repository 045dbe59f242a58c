import { DEFAULT_LANGUAGE } from '../profile/customer-profile.js';
import type { TraceLine } from '../trace/trace-line.js';
import type { CallStateStore, Versioned } from './call-state-store.js';
import type { Clock } from '../time/clock.js';
import type { ConfigVersions, LiveConfiguration } from './config-versions.js';
import { traceLineOf, type AssumedTalkSec, type CallReport, type TraceSink } from './call-recording.js';
import { startLiveCall, continueLiveCall, faultTurn, finishedTurn, hangUpLiveCall, type LiveInput } from './call-turns.js';
import { CallNotRecordedError, CallStateContentionError, CallStateUnavailableError, CallStateUnreadableError } from './live-call-errors.js';
import { LIVE_CALL_STATE_FORMAT, upgradeCallState, type LiveCallState } from './live-call-state.js';
import type { Turn } from './turn.js';

/** How a webhook was answered. */
export type TurnKind =
  /** The call moved on and the new state was stored. */
  | 'advanced'
  /** A retry of the request that produced the current turn (same step): the same answer, nothing moved. */
  | 'repeated'
  /** A request for a step that is no longer current: the current turn again, nothing moved. */
  | 'stale'
  /** The call could not go on through its flow; `fault` says why. */
  | 'fault'
  /** The call is over (its trace line was recorded): a replayed request gets a hang-up, nothing moves. */
  | 'finished';

export interface TurnReply {
  turn: Turn;
  kind: TurnKind;
  fault?: string;
}

export interface LiveCallCoordinatorOptions {
  configs: ConfigVersions;
  store: CallStateStore;
  clock: Clock;
  sink: TraceSink;
  /** Handle time recorded for calls no agent answered (the trace format needs one on every line). */
  assumedTalkSec: AssumedTalkSec;
  ttlSec: number;
  /** Compare-and-set attempts before giving up on a contended call (default 8). */
  maxAttempts?: number;
}

/** A request of one webhook for one call step. */
export interface StepRequest {
  callSid: string;
  step: number;
}

/**
 * Drives live calls over a shared state store, one webhook at a time. Nothing about a call is
 * kept in memory: each webhook reads the state, computes the next one and writes it back with a
 * compare-and-set on its version. Twilio's retries and concurrent duplicates are told apart by
 * the step number each request carries: only a request for the current step moves the call; any
 * other gets the turn already stored.
 */
export class LiveCallCoordinator {
  private readonly maxAttempts: number;

  constructor(private readonly opts: LiveCallCoordinatorOptions) {
    this.maxAttempts = opts.maxAttempts ?? 8;
  }

  /**
   * A call arrives (`/voice/incoming`). A retried arrival of a call in progress gets the turn the
   * call is at now (the first one only if it has not moved); a replayed arrival of a call that is
   * over (recorded, even after its state expired) gets a hang-up and starts nothing.
   */
  async incoming(req: { callSid: string; caller: string }): Promise<TurnReply> {
    try {
      // The tombstone and the state are read together: one round trip to the store, not two.
      const read = this.opts.store.get(req.callSid);
      read.catch(() => undefined); // a failure is reported by Promise.all below, once
      const [recorded, cur] = await Promise.all([this.isRecorded(req.callSid), read]);
      if (recorded) return this.finished(req.callSid);
      return await this.update<TurnReply>(req.callSid, cur, (cur) => {
        if (cur?.value.recorded) return { reply: this.finished(req.callSid, cur.value.language) };
        if (cur) return { reply: { turn: cur.value.turn, kind: cur.value.turnFor === 0 ? 'repeated' : 'stale' } };
        const state = startLiveCall(this.opts.configs.current, { ...req, nowMs: this.opts.clock.now() });
        return { next: state, reply: { turn: state.turn, kind: 'advanced' } };
      });
    } catch (err) {
      return this.fault(err, req.callSid, req.caller);
    }
  }

  /** A key, or the end of the input window without one (`/voice/gather?step=n`). */
  async input(req: StepRequest & { input: LiveInput }): Promise<TurnReply> {
    return this.advance(req, (s, now) => {
      const live = this.configFor(s, now);
      // A call whose version is gone goes on with the current one, if its flow can resume the state.
      const from = live.config.version === s.configVersion ? s : { ...s, configVersion: live.config.version };
      return continueLiveCall(live, from, req.input, now);
    });
  }

  /** The caller hung up during a <Gather> (Twilio posts Digits=hangup). */
  async hangup(req: StepRequest): Promise<TurnReply> {
    return this.advance(req, (s, now) => hangUpLiveCall(s, now));
  }

  /** Moves the call on if `req` is for its current step; otherwise answers with the stored turn. */
  private async advance(req: StepRequest, move: (s: LiveCallState, nowMs: number) => LiveCallState): Promise<TurnReply> {
    try {
      const reply = await this.update<TurnReply | null>(req.callSid, undefined, (cur) => {
        if (!cur) return { reply: null };
        const s = readable(cur);
        if (s.recorded) return { reply: this.finished(req.callSid, s.language) };
        if (s.ended || req.step !== s.step) return { reply: { turn: s.turn, kind: req.step === s.turnFor ? 'repeated' : 'stale' } };
        const next = move(s, this.opts.clock.now());
        return { next, reply: { turn: next.turn, kind: 'advanced' } };
      });
      if (reply) return reply;
      if (await this.isRecorded(req.callSid)) return this.finished(req.callSid);
      throw new CallStateUnreadableError(req.callSid, 'no stored state (never started here, or expired)');
    } catch (err) {
      return this.fault(err, req.callSid);
    }
  }

  /** Twilio reports how the caller left the queue (<Enqueue action>). Null when the call is unknown. */
  async queueResult(req: { callSid: string; result: string; waitSec: number | null }): Promise<LiveCallState | null> {
    return this.update<LiveCallState | null>(req.callSid, undefined, (cur) => {
      if (!cur) return { reply: null };
      const s = readable(cur);
      const next: LiveCallState = { ...s, queue: { result: req.result, waitSec: req.waitSec ?? s.queue?.waitSec ?? null } };
      return { next, reply: next };
    });
  }

  /**
   * The call is over (status callback): records it once as a trace line and returns the line;
   * null when the call is unknown or was recorded already (a repeated or replayed callback).
   * `atMs`: when Twilio reported it (a report applied later, from a spool); now by default.
   * Throws CallStateUnavailableError when the state cannot be read, and CallNotRecordedError,
   * which carries the line, when the sink cannot take it.
   */
  async completed(report: CallReport & { callSid: string; atMs?: number }): Promise<TraceLine | null> {
    const cur = await this.opts.store.get(report.callSid);
    if (!cur) return null;
    const s = readable(cur);
    if (s.recorded) return null;
    const line = traceLineOf(s.ended ? s : hangUpLiveCall(s, report.atMs ?? this.opts.clock.now()), report, this.opts.assumedTalkSec);
    return (await this.record(line)) ? line : null;
  }

  /**
   * Adds a finished call's trace line, unless the sink has one for this CallSid already (false),
   * and marks the call recorded. Throws CallNotRecordedError when the sink cannot take it.
   */
  async record(line: TraceLine): Promise<boolean> {
    let added: boolean;
    try {
      added = await this.opts.sink.append(line);
    } catch (err) {
      throw new CallNotRecordedError(line, { cause: err });
    }
    // The sink's once-per-call record is what counts; the flag spares later callbacks a write.
    const now = this.opts.clock.now();
    await this.update<null>(line.callId, undefined, (cur) => {
      const s = cur ? upgradeCallState(cur.value) : null;
      if (!s || s.recorded) return { reply: null };
      return { next: { ...(s.ended ? s : hangUpLiveCall(s, now)), recorded: true }, reply: null };
    }).catch(() => undefined);
    return added;
  }

  /** The turn a caller gets when something went wrong before the flow could answer. */
  faultTurnFor(callSid: string, code: string, caller?: string): Turn {
    const live = this.opts.configs.current;
    const language = caller ? live.decider.profileOf({ callId: callSid, caller, keys: [] }).language : DEFAULT_LANGUAGE;
    return faultTurn(live, { callSid, language, code, ...(caller ? { caller } : {}) });
  }

  private finished(callSid: string, language = DEFAULT_LANGUAGE): TurnReply {
    return { turn: finishedTurn(callSid, language), kind: 'finished' };
  }

  private async isRecorded(callSid: string): Promise<boolean> {
    try {
      return await this.opts.sink.isRecorded(callSid);
    } catch (err) {
      throw new CallStateUnavailableError(`trace sink: ${(err as Error).message}`, { cause: err });
    }
  }

  private fault(err: unknown, callSid: string, caller?: string): TurnReply {
    if (err instanceof CallStateUnavailableError || err instanceof CallStateUnreadableError || err instanceof CallStateContentionError) {
      return { turn: this.faultTurnFor(callSid, err.code, caller), kind: 'fault', fault: err.code };
    }
    throw err;
  }

  /** A call finishes on the configuration it started with; if that is gone (another instance started it before a reload), the current one is tried. */
  private configFor(s: LiveCallState, nowMs: number): LiveConfiguration {
    return this.opts.configs.get(s.configVersion, nowMs) ?? this.opts.configs.current;
  }

  /** Read, compute, compare-and-set; on a lost race, read again and recompute. `firstRead`: a read already made (undefined: read now). */
  private async update<R>(
    callSid: string,
    firstRead: Versioned<LiveCallState> | null | undefined,
    fn: (cur: Versioned<LiveCallState> | null) => { next?: LiveCallState; reply: R },
  ): Promise<R> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const cur = attempt === 0 && firstRead !== undefined ? firstRead : await this.opts.store.get(callSid);
      const { next, reply } = fn(cur);
      if (!next) return reply;
      if (await this.opts.store.compareAndSet(callSid, cur?.version ?? 0, next, this.opts.ttlSec)) return reply;
    }
    throw new CallStateContentionError(callSid, this.maxAttempts);
  }
}

/** The stored state in the current format (an older one upgraded); unreadable when its format is unknown. */
function readable(cur: Versioned<LiveCallState>): LiveCallState {
  const s = upgradeCallState(cur.value);
  if (!s) throw new CallStateUnreadableError(cur.value.callSid, `state format ${String(cur.value.format)}, expected ${LIVE_CALL_STATE_FORMAT}`);
  return s;
}
