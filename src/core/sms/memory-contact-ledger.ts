import { limitVerdict, type ClassPolicy, type ContactState, type SmsClass } from './contact-policy.js';
import type { ContactLedger, LedgerMessage, LedgerVerdict, MarkSentResult, MessageClaim, OptOutSource } from './contact-ledger.js';

interface Sent {
  atMs: number;
  key: string;
}

interface Customer {
  optedOut: boolean;
  byTemplate: Map<string, Sent[]>;
  byClass: Map<SmsClass, Sent[]>;
}

/** Entries within the window ending at `nowMs`, dropping older ones as it goes. */
function within(list: Sent[] | undefined, windowMs: number, nowMs: number): number {
  if (!list) return 0;
  const from = nowMs - windowMs;
  let drop = 0;
  while (drop < list.length && list[drop]!.atMs <= from) drop++;
  if (drop) list.splice(0, drop);
  return list.length;
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

  /** @param trackKeys remember every message key to refuse duplicates (a replay, which has none, turns it off). */
  constructor(private readonly opts: { trackKeys?: boolean } = {}) {}

  private customer(phone: string): Customer {
    let c = this.customers.get(phone);
    if (!c) this.customers.set(phone, (c = { optedOut: false, byTemplate: new Map(), byClass: new Map() }));
    return c;
  }

  stateOfSync(phone: string, template: string, cls: SmsClass, policy: ClassPolicy, nowMs: number): ContactState {
    const c = this.customers.get(phone);
    if (!c) return { optedOut: false, sentOfTemplate: 0, sentOfClass: 0 };
    return {
      optedOut: c.optedOut,
      sentOfTemplate: policy.perTemplate ? within(c.byTemplate.get(template), policy.perTemplate.windowMs, nowMs) : 0,
      sentOfClass: policy.overall ? within(c.byClass.get(cls), policy.overall.windowMs, nowMs) : 0,
    };
  }

  checkAndRecordSync(msg: LedgerMessage, policy: ClassPolicy): LedgerVerdict {
    const track = this.opts.trackKeys ?? true;
    if (track && this.keys.has(msg.key)) return { kind: 'duplicate' };
    const reason = limitVerdict(policy, this.stateOfSync(msg.phone, msg.template, msg.class, policy, msg.atMs));
    if (reason) return { kind: 'suppressed', reason };
    const c = this.customer(msg.phone);
    const entry = { atMs: msg.atMs, key: msg.key };
    let t = c.byTemplate.get(msg.template);
    if (!t) c.byTemplate.set(msg.template, (t = []));
    t.push(entry);
    let k = c.byClass.get(msg.class);
    if (!k) c.byClass.set(msg.class, (k = []));
    k.push(entry);
    if (track) this.keys.set(msg.key, { state: 'reserved', sinceMs: msg.claimedAtMs ?? null });
    return { kind: 'recorded' };
  }

  releaseSync(msg: LedgerMessage): void {
    const c = this.customers.get(msg.phone);
    if (c) {
      for (const list of [c.byTemplate.get(msg.template), c.byClass.get(msg.class)]) {
        const i = list?.findIndex((e) => e.key === msg.key) ?? -1;
        if (i >= 0) list!.splice(i, 1);
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
