import { DEFAULT_LANGUAGE } from '../profile/customer-profile.js';
import type { TraceLine } from '../trace/trace-line.js';
import type { CallStateStore, Versioned } from './call-state-store.js';
import type { Clock } from './clock.js';
import type { ConfigVersions, LiveConfiguration } from './config-versions.js';
import { traceLineOf, type AssumedTalkSec, type CallReport, type TraceSink } from './call-recording.js';
import { startLiveCall, continueLiveCall, faultTurn, hangUpLiveCall, type LiveInput } from './live-call.js';
import { CallStateContentionError, CallStateUnavailableError, CallStateUnreadableError } from './live-call-errors.js';
import { LIVE_CALL_STATE_FORMAT, type LiveCallState } from './live-call-state.js';
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
  | 'fault';

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

  /** A call arrives (`/voice/incoming`); a retried arrival gets the first turn again. */
  async incoming(req: { callSid: string; caller: string }): Promise<TurnReply> {
    try {
      return await this.update<TurnReply>(req.callSid, (cur) => {
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
      return await this.update<TurnReply>(req.callSid, (cur) => {
        if (!cur) throw new CallStateUnreadableError(req.callSid, 'no stored state (never started here, or expired)');
        const s = readable(cur);
        if (s.ended || req.step !== s.step) return { reply: { turn: s.turn, kind: req.step === s.turnFor ? 'repeated' : 'stale' } };
        const next = move(s, this.opts.clock.now());
        return { next, reply: { turn: next.turn, kind: 'advanced' } };
      });
    } catch (err) {
      return this.fault(err, req.callSid);
    }
  }

  /** Twilio reports how the caller left the queue (<Enqueue action>). Null when the call is unknown. */
  async queueResult(req: { callSid: string; result: string; waitSec: number | null }): Promise<LiveCallState | null> {
    return this.update<LiveCallState | null>(req.callSid, (cur) => {
      if (!cur) return { reply: null };
      const s = readable(cur);
      const next: LiveCallState = { ...s, queue: { result: req.result, waitSec: req.waitSec ?? s.queue?.waitSec ?? null } };
      return { next, reply: next };
    });
  }

  /**
   * The call is over (status callback): records it once as a trace line and returns the line;
   * null when the call is unknown or was recorded already (a repeated callback).
   */
  async completed(report: CallReport & { callSid: string }): Promise<TraceLine | null> {
    const now = this.opts.clock.now();
    const marked = await this.update<LiveCallState | null>(report.callSid, (cur) => {
      if (!cur) return { reply: null };
      const s = readable(cur);
      if (s.recorded) return { reply: null };
      const ended = s.ended ? s : hangUpLiveCall(s, now);
      const next: LiveCallState = { ...ended, recorded: true };
      return { next, reply: next };
    });
    if (!marked) return null;
    const line = traceLineOf(marked, report, this.opts.assumedTalkSec);
    try {
      await this.opts.sink.append(line);
    } catch (err) {
      // Let a later callback (or an operator's retry) record it rather than lose it.
      await this.update<null>(report.callSid, (cur) => (cur ? { next: { ...readable(cur), recorded: false }, reply: null } : { reply: null })).catch(() => undefined);
      throw err;
    }
    return line;
  }

  /** The turn a caller gets when something went wrong before the flow could answer. */
  faultTurnFor(callSid: string, code: string, caller?: string): Turn {
    const live = this.opts.configs.current;
    const language = caller ? live.decider.profileOf({ callId: callSid, caller, keys: [] }).language : DEFAULT_LANGUAGE;
    return faultTurn(live, { callSid, language, code, ...(caller ? { caller } : {}) });
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

  /** Read, compute, compare-and-set; on a lost race, read again and recompute. */
  private async update<R>(callSid: string, fn: (cur: Versioned<LiveCallState> | null) => { next?: LiveCallState; reply: R }): Promise<R> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const cur = await this.opts.store.get(callSid);
      const { next, reply } = fn(cur);
      if (!next) return reply;
      if (await this.opts.store.compareAndSet(callSid, cur?.version ?? 0, next, this.opts.ttlSec)) return reply;
    }
    throw new CallStateContentionError(callSid, this.maxAttempts);
  }
}

function readable(cur: Versioned<LiveCallState>): LiveCallState {
  if ((cur.value.format as number) !== LIVE_CALL_STATE_FORMAT) {
    throw new CallStateUnreadableError(cur.value.callSid, `state format ${String(cur.value.format)}, expected ${LIVE_CALL_STATE_FORMAT}`);
  }
  return cur.value;
}
