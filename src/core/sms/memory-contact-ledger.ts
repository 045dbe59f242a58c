import { limitVerdict, type ClassPolicy, type ContactState, type SmsClass } from './contact-policy.js';
import type { ContactLedger, LedgerMessage, LedgerVerdict, MarkSentResult, MessageClaim, OptOutSource } from './contact-ledger.js';

/**
 * The messages recorded under one name (a template, or a class) for one customer: their times,
 * oldest first, and their keys when keys are tracked. Flat number lists rather than an object per
 * message: a replay keeps one of these per customer and name for the whole trace.
 */
interface SentList<N extends string> {
  name: N;
  atMs: number[];
  keys: string[] | null;
}

interface Customer {
  optedOut: boolean;
  byTemplate: readonly SentList<string>[];
  byClass: readonly SentList<SmsClass>[];
}

const NO_LISTS: readonly never[] = [];

/** A customer has messages of a few templates and classes: a scan beats a map per customer. */
function listOf<N extends string>(lists: readonly SentList<N>[], name: N): SentList<N> | undefined {
  for (let i = 0; i < lists.length; i++) if (lists[i]!.name === name) return lists[i];
  return undefined;
}

/** Entries within the window ending at `nowMs`, dropping older ones as it goes. */
function within(list: SentList<string> | undefined, windowMs: number, nowMs: number): number {
  if (!list) return 0;
  const from = nowMs - windowMs;
  const times = list.atMs;
  let drop = 0;
  while (drop < times.length && times[drop]! <= from) drop++;
  if (drop) {
    times.splice(0, drop);
    list.keys?.splice(0, drop);
  }
  return times.length;
}

/**
 * Appends to a customer's lists. Arrays are rebuilt one entry longer rather than pushed to: a
 * pushed array reserves room for 16 more entries, and a replay keeps a few short lists for every
 * customer it has seen (under half the memory, for copying lists a few entries long).
 */
function record<N extends string>(lists: readonly SentList<N>[], name: N, atMs: number, key: string | null): readonly SentList<N>[] {
  const list = listOf(lists, name);
  if (!list) return [...lists, { name, atMs: [atMs], keys: key === null ? null : [key] }];
  list.atMs = [...list.atMs, atMs];
  if (list.keys && key !== null) list.keys = [...list.keys, key];
  return lists;
}

/**
 * The ledger in memory, over whatever clock the caller's times come from: the replay's simulated
 * time, or a test's. Synchronous underneath (the replay calls the `…Sync` methods); the async
 * methods make it a ContactLedger. Calls must come in time order for the sliding windows to be exact.
 */
export class MemoryContactLedger implements ContactLedger {
  private readonly customers = new Map<string, Customer>();
  private readonly keys = new Map<string, MessageClaim>();
  private readonly sids = new Set<string>();
  private readonly unknown = new Set<string>();

  private sweptAtMs = Number.NaN;

  /**
   * @param trackKeys remember every message key, to refuse duplicates and to release a message;
   * a replay, which has neither, turns it off and the ledger keeps only the times of messages
   * @param forgetAfterMs no window the ledger is asked about is longer: once every such span it
   * forgets the customers who are not opted out and have no message within it, whom the windows
   * can no longer count (a replay of weeks keeps the callers of the last window or two, not all)
   */
  constructor(private readonly opts: { trackKeys?: boolean; forgetAfterMs?: number } = {}) {}

  /** Customers the ledger holds something about. */
  get customerCount(): number {
    return this.customers.size;
  }

  private sweep(nowMs: number): void {
    const forget = this.opts.forgetAfterMs;
    if (forget === undefined || nowMs - this.sweptAtMs < forget) return;
    if (!Number.isNaN(this.sweptAtMs)) {
      const from = nowMs - forget;
      const forgotten = (lists: readonly SentList<string>[]) => lists.every((l) => l.atMs.length === 0 || l.atMs[l.atMs.length - 1]! <= from);
      for (const [phone, c] of this.customers) if (!c.optedOut && forgotten(c.byTemplate) && forgotten(c.byClass)) this.customers.delete(phone);
    }
    this.sweptAtMs = nowMs;
  }

  private customer(phone: string): Customer {
    let c = this.customers.get(phone);
    if (!c) this.customers.set(phone, (c = { optedOut: false, byTemplate: NO_LISTS, byClass: NO_LISTS }));
    return c;
  }

  stateOfSync(phone: string, template: string, cls: SmsClass, policy: ClassPolicy, nowMs: number): ContactState {
    const c = this.customers.get(phone);
    if (!c) return { optedOut: false, sentOfTemplate: 0, sentOfClass: 0 };
    return {
      optedOut: c.optedOut,
      sentOfTemplate: policy.perTemplate ? within(listOf(c.byTemplate, template), policy.perTemplate.windowMs, nowMs) : 0,
      sentOfClass: policy.overall ? within(listOf(c.byClass, cls), policy.overall.windowMs, nowMs) : 0,
    };
  }

  checkAndRecordSync(msg: LedgerMessage, policy: ClassPolicy): LedgerVerdict {
    const track = this.opts.trackKeys ?? true;
    if (track && this.keys.has(msg.key)) return { kind: 'duplicate' };
    const reason = limitVerdict(policy, this.stateOfSync(msg.phone, msg.template, msg.class, policy, msg.atMs));
    if (reason) return { kind: 'suppressed', reason };
    this.sweep(msg.atMs);
    const c = this.customer(msg.phone);
    // Without keys tracked (a replay) the lists keep times only, and release cannot find a message.
    const key = track ? msg.key : null;
    c.byTemplate = record(c.byTemplate, msg.template, msg.atMs, key);
    c.byClass = record(c.byClass, msg.class, msg.atMs, key);
    if (track) this.keys.set(msg.key, { state: 'reserved', sinceMs: msg.claimedAtMs ?? null });
    return { kind: 'recorded' };
  }

  releaseSync(msg: LedgerMessage): void {
    const c = this.customers.get(msg.phone);
    if (c) {
      for (const list of [listOf(c.byTemplate, msg.template), listOf(c.byClass, msg.class)]) {
        const i = list?.keys?.indexOf(msg.key) ?? -1;
        if (i >= 0) {
          list!.atMs.splice(i, 1);
          list!.keys!.splice(i, 1);
        }
      }
    }
    this.keys.delete(msg.key);
  }

  optOutSync(phone: string): void {
    this.customer(phone).optedOut = true;
  }

  optInSync(phone: string): void {
    const c = this.customers.get(phone);
    if (c) c.optedOut = false;
  }

  async stateOf(phone: string, template: string, cls: SmsClass, policy: ClassPolicy, nowMs: number): Promise<ContactState> {
    return this.stateOfSync(phone, template, cls, policy, nowMs);
  }

  async checkAndRecord(msg: LedgerMessage, policy: ClassPolicy): Promise<LedgerVerdict> {
    return this.checkAndRecordSync(msg, policy);
  }

  async isRecorded(msg: Pick<LedgerMessage, 'key'>): Promise<boolean> {
    return this.keys.has(msg.key);
  }

  async claimOf(msg: Pick<LedgerMessage, 'key'>): Promise<MessageClaim | null> {
    return this.keys.get(msg.key) ?? null;
  }

  async markSent(msg: LedgerMessage, sid: string): Promise<MarkSentResult> {
    // Per customer, as in Redis (Twilio's SIDs are unique anyway).
    const owned = `${msg.phone}\u0000${sid}`;
    if (this.sids.has(owned)) return { kind: 'sid-taken' };
    this.sids.add(owned);
    if (this.opts.trackKeys ?? true) this.keys.set(msg.key, { state: 'sent', sid });
    return { kind: 'marked', afterUnknownOutcome: this.unknown.delete(msg.key) };
  }

  async releaseUnknown(msg: LedgerMessage): Promise<void> {
    this.releaseSync(msg);
    this.unknown.add(msg.key);
  }

  async release(msg: LedgerMessage): Promise<void> {
    this.releaseSync(msg);
  }

  async optOut(phone: string, _atMs: number, _source: OptOutSource): Promise<void> {
    this.optOutSync(phone);
  }

  async optIn(phone: string): Promise<void> {
    this.optInSync(phone);
  }

  async isOptedOut(phone: string): Promise<boolean> {
    return this.customers.get(phone)?.optedOut ?? false;
  }
}
