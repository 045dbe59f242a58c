import type { Versioned } from './call-state-store.js';
import type { LiveCallState } from './live-call-state.js';

/**
 * The states this process last wrote, per call, as the JSON it wrote (each read is a fresh copy),
 * at most `capacity` calls, the least recently written forgotten first. A remembered state is a
 * guess, never an answer: the coordinator only acts on it through a compare-and-set, which fails
 * if any process wrote since (or the state expired), and then reads the store.
 */
export class RememberedWrites {
  private readonly entries = new Map<string, { version: number; json: string }>();

  constructor(private readonly capacity = 5000) {}

  wrote(callSid: string, version: number, json: string): void {
    this.entries.delete(callSid);
    this.entries.set(callSid, { version, json });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(callSid: string): void {
    this.entries.delete(callSid);
  }

  get(callSid: string): Versioned<LiveCallState> | null {
    const e = this.entries.get(callSid);
    return e ? { version: e.version, value: JSON.parse(e.json) as LiveCallState } : null;
  }
}
