import type { LiveCallState } from './live-call-state.js';

/** A stored value with the version a compare-and-set must name to replace it. */
export interface Versioned<T> {
  value: T;
  /** 1 for the first write, then +1 per successful write. */
  version: number;
}

/**
 * Where live calls keep their state between webhooks (keyed by CallSid, expiring after a TTL).
 * Implementations throw CallStateUnavailableError when the backing store cannot be reached.
 */
export interface CallStateStore {
  get(callSid: string): Promise<Versioned<LiveCallState> | null>;
  /**
   * Writes `state` as version `expectedVersion + 1` if the stored version is still
   * `expectedVersion` (0: nothing stored), and (re)sets the TTL. False when another writer won.
   */
  compareAndSet(callSid: string, expectedVersion: number, state: LiveCallState, ttlSec: number): Promise<boolean>;
}

/**
 * In-process store with the same semantics (values are copied through JSON, as Redis would),
 * for unit tests of the core. Expiry is not modelled.
 */
export class MemoryCallStateStore implements CallStateStore {
  private readonly entries = new Map<string, { json: string; version: number }>();

  async get(callSid: string): Promise<Versioned<LiveCallState> | null> {
    const e = this.entries.get(callSid);
    return e ? { value: JSON.parse(e.json) as LiveCallState, version: e.version } : null;
  }

  async compareAndSet(callSid: string, expectedVersion: number, state: LiveCallState, _ttlSec?: number): Promise<boolean> {
    const current = this.entries.get(callSid)?.version ?? 0;
    if (current !== expectedVersion) return false;
    this.entries.set(callSid, { json: JSON.stringify(state), version: expectedVersion + 1 });
    return true;
  }

  get size(): number {
    return this.entries.size;
  }
}
