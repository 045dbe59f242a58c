import { patienceModelFor, retrialProbabilityFor, sampleDelay, samplePatience } from '../behaviour/behaviour-sampling.js';
import type { QueueBehaviour } from '../behaviour/queue-behaviour.js';
import { SeededRandom } from '../random/seeded-random.js';
import type { CallOutcome } from '../simulation/call-outcome.js';
import type { OfferedCall } from '../simulation/offered-call.js';
import type { CompactDecision, ReplayCall } from './compact-decision.js';

/** What the simulation made of the trace's retries (report field `retrials`). */
export interface RetrialCounts {
  /** Calls the retrial model added after simulated hang-ups of calls with no recorded retry that the log did not see hang up. */
  generated: number;
  /** Recorded retries replayed, because the call they retry hung up in the simulation too. */
  recorded: number;
  /** Recorded retries left out, because the call they retry did not hang up in the simulation. */
  suppressed: number;
}

/** A call to play, with its decision (null for an ACD-level line). */
export interface PlayedCall {
  call: ReplayCall;
  decision: CompactDecision | null;
}

/** Chains of generated retries stop here, so a model that always retries still ends. */
export const MAX_GENERATED_RETRIES = 10;

/**
 * Callers' queue behaviour in a replay with a queue-behaviour model: patience for lines without
 * patienceSec, and retrials.
 *
 * A recorded retry (a line with retryOf) happens only if the call it retries hung up in the
 * simulation: at its recorded time when that call hung up before then; when that call is still
 * waiting then, as soon as it hangs up plus a delay drawn from the model (none without one); not
 * at all when it is answered, or never reached the queue. A simulated hang-up of a call without a
 * recorded retry may instead generate one, per the model. Never both for one call: which calls
 * the trace retries is known before the replay starts (`retried`, from a first pass over the trace).
 *
 * The model's share is that of callers who call again once they have hung up. A call the log saw
 * hang up (`observed.answered === false`) with no line retrying it is known not to have called
 * again (or to have called again as a line of its own, unlinked): its simulated hang-up generates
 * nothing. Only calls whose fate the log does not give, or that it saw answered, draw a retry.
 *
 * Every draw comes from a stream of the seed and the call's id, so a call's patience and retry
 * do not depend on the order of other calls' draws, and two scenarios replayed with one seed
 * give the same caller the same patience.
 */
export class Retrials {
  readonly counts: RetrialCounts = { generated: 0, recorded: 0, suppressed: 0 };
  /** Fates of calls the trace retries, once known: true when they hung up in the queue. */
  private readonly abandoned = new Map<string, boolean>();
  /** Recorded retries waiting for the fate of the call they retry, by that call's id. */
  private readonly waiting = new Map<string, PlayedCall>();
  /** Calls in the queues that a generated retry would copy, by id. */
  private readonly inQueue = new Map<string, PlayedCall>();
  /** Generated retries, by id: how many retries deep. */
  private readonly depth = new Map<string, number>();

  constructor(
    private readonly behaviour: QueueBehaviour,
    private readonly seed: number,
    /** The callId of every call some line retries. */
    private readonly retried: ReadonlySet<string>,
  ) {}

  /** Patience for a call entering `queue`: the line's, else drawn from the model, else none (waits). */
  patienceSec(call: ReplayCall, queue: string): number | undefined {
    if (call.patienceSec !== undefined) return call.patienceSec;
    const model = patienceModelFor(this.behaviour, queue);
    return model && samplePatience(model, SeededRandom.stream(this.seed, `patience:${call.callId}`));
  }

  /** Whether a trace call is played at its recorded time; a retry may wait for its call's fate, or be left out. */
  playsNow(played: PlayedCall): boolean {
    const { call } = played;
    if (call.retryOf === undefined) return true;
    if (!this.retried.has(call.retryOf)) {
      throw new RangeError(`call ${call.callId} retries ${call.retryOf}, which the run was not told is retried: give ReplayRun.setRecordedRetries every retryOf of the trace before the first call`);
    }
    const fate = this.abandoned.get(call.retryOf);
    if (fate === undefined) {
      this.waiting.set(call.retryOf, played);
      return false;
    }
    this.abandoned.delete(call.retryOf);
    if (fate) this.counts.recorded++;
    else this.suppress(call);
    return fate;
  }

  /** A call reached the queues (after playsNow, or as a retry released by `afterAbandon`). */
  entered(played: PlayedCall): void {
    const { call } = played;
    if (!this.behaviour.retrials || this.retried.has(call.callId)) return;
    // Seen hanging up in the log without calling again: a simulated hang-up generates no retry.
    if (call.observed?.answered === false) return;
    this.inQueue.set(call.callId, played);
  }

  /** A trace call that never reaches the queues (self-served, hung up in the IVR) did not hang up there. */
  missedQueue(call: ReplayCall): void {
    this.settle(call.callId, false);
  }

  /** A call's outcome: a call answered, or still waiting when the simulation ended, did not hang up. */
  outcome(o: CallOutcome): void {
    if (o.abandoned) return; // afterAbandon follows
    this.inQueue.delete(o.callId);
    this.depth.delete(o.callId);
    this.settle(o.callId, false);
  }

  /** After a simulated hang-up at `atSec`: the recorded retry it releases, or one the model generates. */
  afterAbandon(call: OfferedCall, atSec: number): PlayedCall | undefined {
    const released = this.settle(call.callId, true);
    if (released) return { ...released, call: { ...released.call, arrivalSec: this.releasedAt(released, atSec) } };
    const original = this.inQueue.get(call.callId);
    const depth = this.depth.get(call.callId) ?? 0;
    this.inQueue.delete(call.callId);
    this.depth.delete(call.callId);
    const retrials = this.behaviour.retrials;
    if (!retrials || !original || depth >= MAX_GENERATED_RETRIES) return undefined;
    const random = SeededRandom.stream(this.seed, `retrial:${call.callId}`);
    if (!random.chance(retrialProbabilityFor(retrials, call.route.queue))) return undefined;
    const callId = `${call.callId}~retry`;
    const again: ReplayCall = { ...original.call, callId, arrivalSec: atSec + sampleDelay(retrials.delaySec, random), retryOf: call.callId };
    delete again.patienceSec; // a new call: its patience is drawn afresh
    delete again.observed; // and nothing of it was observed
    this.depth.set(callId, depth + 1);
    this.counts.generated++;
    return { call: again, decision: original.decision };
  }

  /** Recorded retries still waiting once the simulation is over: left out. */
  finish(): void {
    for (const played of this.waiting.values()) this.suppress(played.call);
    this.waiting.clear();
  }

  /**
   * Records the fate of a call the trace retries. A retry already waiting for it is released
   * (returned, moved to the hang-up plus a delay when it would otherwise come first) or left out.
   */
  private settle(callId: string, abandoned: boolean): PlayedCall | undefined {
    if (!this.retried.has(callId)) return undefined;
    const retry = this.waiting.get(callId);
    if (retry === undefined) {
      this.abandoned.set(callId, abandoned);
      return undefined;
    }
    this.waiting.delete(callId);
    if (!abandoned) {
      this.suppress(retry.call);
      return undefined;
    }
    this.counts.recorded++;
    return retry;
  }

  /** A recorded retry left out: whatever retries it is left out too. */
  private suppress(call: ReplayCall): void {
    this.counts.suppressed++;
    if (this.retried.has(call.callId)) this.settle(call.callId, false);
  }

  /** When a released retry arrives: its recorded time, or the hang-up plus a drawn delay if that is later. */
  private releasedAt(played: PlayedCall, hungUpSec: number): number {
    if (played.call.arrivalSec >= hungUpSec) return played.call.arrivalSec;
    const delay = this.behaviour.retrials?.delaySec;
    return hungUpSec + (delay ? sampleDelay(delay, SeededRandom.stream(this.seed, `retrial:${played.call.retryOf!}`)) : 0);
  }
}
