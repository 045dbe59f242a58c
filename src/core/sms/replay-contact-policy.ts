import { normalisePhone } from '../customers/customer-directory.js';
import type { SmsRequest } from '../decision/decision.js';
import { IndexedHeap } from '../simulation/indexed-heap.js';
import { decideContact, isTextableNumber, type ContactPolicy, type SmsClass } from './contact-policy.js';
import { MemoryContactLedger } from './memory-contact-ledger.js';

/** What the policy did with the messages of one template in a replay. */
export interface ContactPolicyCounts {
  /** Messages the rules asked for. After the replay, sent + every suppression = requested. */
  requested: number;
  sent: number;
  /** Messages held back by quiet hours at least once (then sent or suppressed at the end of them). */
  deferred: number;
  suppressed: Record<string, number>;
}

/** The `contactPolicy` section of a replay report. */
export interface ContactPolicyReport extends ContactPolicyCounts {
  policyVersion: string;
  byTemplate: Record<string, ContactPolicyCounts>;
}

interface Pending {
  heapIndex: number;
  atMs: number;
  seq: number;
  callId: string;
  phone: string;
  template: string;
  class: SmsClass;
  timeZone: string | undefined;
  deferred: boolean;
}

/** '+' and digits only: what normalisePhone returns, and returns unchanged (most callers' numbers, read from a trace). */
function isNormalised(phone: string): boolean {
  if (phone.length < 2 || phone.charCodeAt(0) !== 43) return false;
  for (let i = 1; i < phone.length; i++) {
    const c = phone.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const emptyCounts = (): ContactPolicyCounts => ({ requested: 0, sent: 0, deferred: 0, suppressed: {} });
const byName = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The contact policy over a replay's simulated time: nothing is sent; each message the rules ask
 * for is checked when its call is decided (arrival + IVR time), deferred ones again when the quiet
 * hours end, against an in-memory ledger of what the replay has "sent" so far. Messages are taken
 * in time order, so the sliding-window caps count exactly what a live system would have.
 *
 * Times: simulated seconds from midnight of day 0; day 0 is 1970-01-01 UTC unless `setDayZero`
 * gives the instant of the trace's midnight (traces written with arrivalTime).
 */
export class ReplayContactPolicy {
  private readonly ledger: MemoryContactLedger;
  private readonly pending = new IndexedHeap<Pending>((a, b) => a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq));
  private readonly counts = new Map<string, ContactPolicyCounts>();
  private dayZeroMs = 0;
  private seq = 0;

  constructor(readonly policy: ContactPolicy) {
    // Messages are taken in time order, and no window of the policy is longer than its longest cap's.
    const windows = Object.values(policy.classes).flatMap((c) => [c.perTemplate?.windowMs ?? 0, c.overall?.windowMs ?? 0]);
    this.ledger = new MemoryContactLedger({ trackKeys: false, forgetAfterMs: Math.max(0, ...windows) });
  }

  setDayZero(epochMs: number): void {
    this.dayZeroMs = epochMs;
  }

  /** Takes every message due up to simulated second `sec` (call it with each arrival, in order). */
  advanceTo(sec: number): void {
    const until = this.dayZeroMs + sec * 1000;
    for (let top = this.pending.peek(); top && top.atMs <= until; top = this.pending.peek()) this.take(this.pending.pop()!);
  }

  /** The messages of one decided call; `decidedSec` must not precede the last `advanceTo`. */
  add(callId: string, phone: string, timeZone: string | undefined, sms: readonly Pick<SmsRequest, 'template' | 'class'>[], decidedSec: number): void {
    const atMs = this.dayZeroMs + Math.round(decidedSec * 1000);
    const number = isNormalised(phone) ? phone : normalisePhone(phone);
    for (const r of sms) {
      this.countsOf(r.template).requested++;
      this.pending.push({ heapIndex: -1, atMs, seq: this.seq++, callId, phone: number, template: r.template, class: r.class, timeZone, deferred: false });
    }
  }

  /** Takes every message still waiting (deferred past the end of the trace included). */
  finish(): void {
    for (let p = this.pending.pop(); p; p = this.pending.pop()) this.take(p);
  }

  report(): ContactPolicyReport {
    this.finish();
    const total = emptyCounts();
    const byTemplate: Record<string, ContactPolicyCounts> = {};
    for (const [template, c] of [...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      byTemplate[template] = { ...c, suppressed: byName(c.suppressed) };
      total.requested += c.requested;
      total.sent += c.sent;
      total.deferred += c.deferred;
      for (const [r, n] of Object.entries(c.suppressed)) total.suppressed[r] = (total.suppressed[r] ?? 0) + n;
    }
    return { policyVersion: this.policy.version, ...total, suppressed: byName(total.suppressed), byTemplate };
  }

  private countsOf(template: string): ContactPolicyCounts {
    let c = this.counts.get(template);
    if (!c) this.counts.set(template, (c = emptyCounts()));
    return c;
  }

  private suppress(p: Pending, reason: string): void {
    const s = this.countsOf(p.template).suppressed;
    s[reason] = (s[reason] ?? 0) + 1;
  }

  private take(p: Pending): void {
    if (!isTextableNumber(p.phone)) return this.suppress(p, 'no-number');
    const cls = this.policy.classes[p.class];
    const verdict = decideContact(this.policy, p.class, this.ledger.stateOfSync(p.phone, p.template, p.class, cls, p.atMs), p.atMs, p.timeZone);
    if (verdict.action === 'suppress') return this.suppress(p, verdict.reason);
    if (verdict.action === 'defer') {
      if (!p.deferred) this.countsOf(p.template).deferred++;
      p.deferred = true;
      // Strictly later, so a zone whose quiet hours end in a DST gap cannot hold the replay in place.
      p.atMs = Math.max(verdict.untilMs, p.atMs + 1);
      this.pending.push(p);
      return;
    }
    const r = this.ledger.checkAndRecordSync({ key: `${p.callId}.${p.template}`, phone: p.phone, template: p.template, class: p.class, atMs: p.atMs }, cls);
    if (r.kind === 'recorded') this.countsOf(p.template).sent++;
    else if (r.kind === 'suppressed') this.suppress(p, r.reason);
  }
}
