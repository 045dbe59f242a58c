export type SmsEventKind = 'sent' | 'suppressed' | 'deferred' | 'failed' | 'delivered' | 'undelivered';
export const SMS_EVENT_KINDS: readonly SmsEventKind[] = ['sent', 'suppressed', 'deferred', 'failed', 'delivered', 'undelivered'];

/**
 * Counts about messages as a whole, not columns of the per-template table: every decided
 * message (queued or dropped at decision time), and sends whose outcome a crash left unknown,
 * either found at the carrier or sent again.
 */
export type SmsLifecycleKind = 'decided' | 'found-after-unknown-outcome' | 'resent-after-unknown-outcome';
export const SMS_LIFECYCLE_KINDS: readonly SmsLifecycleKind[] = ['decided', 'found-after-unknown-outcome', 'resent-after-unknown-outcome'];

/**
 * A decided message ends in exactly one of these. A later one replaces an earlier one (a dead
 * letter retried by hand and then sent counts as sent, no longer as failed).
 */
export const SMS_FINAL_KINDS: readonly SmsEventKind[] = ['sent', 'suppressed', 'failed'];

/** Something that happened to one decided message. */
export interface SmsEvent {
  kind: SmsEventKind | SmsLifecycleKind;
  template: string;
  /** The message's id (its job id): a kind is counted once per message. */
  messageKey: string;
  atMs: number;
  /** Why: a suppression reason, a failure code, a carrier status. */
  reason?: string;
  /** Deferred until (epoch ms). */
  untilMs?: number;
  /** Masked, for the event log. */
  phone?: string;
  /** A failure's message (kept in the dead-letter list). */
  detail?: string;
}

/** A message that failed for good, as the dead-letter list keeps it. */
export interface DeadLetter {
  key: string;
  template: string;
  /** The failure code (SMS_SEND_REJECTED, …). */
  code: string;
  /** What went wrong, in words. */
  detail: string;
  atMs: number;
  /** Masked. */
  phone?: string;
}

/**
 * Where every decided message is: `decided` = `sent` + `suppressed` + `failed` + `pending`
 * (jobs still waiting, delayed or being sent). `unaccounted` is what is left over, 0 when the
 * counters add up; a message counted final while its job is still finishing may make it -1
 * for a moment.
 */
export interface SmsAccounting {
  decided: number;
  sent: number;
  suppressed: number;
  failed: number;
  /** null when the queue was not read. */
  pending: number | null;
  unaccounted: number | null;
  /** Sends whose outcome a crash left unknown and that the carrier's list showed: not sent again. */
  foundAfterUnknownOutcome: number;
  /** Sends whose outcome a crash left unknown, sent again because the carrier's list did not show them. */
  resentAfterUnknownOutcome: number;
}

export function accountingOf(total: TemplateStats, lifecycle: Readonly<Record<SmsLifecycleKind, number>>, pending: number | null): SmsAccounting {
  const suppressed = Object.values(total.suppressed).reduce((a, b) => a + b, 0);
  const decided = lifecycle.decided;
  return {
    decided,
    sent: total.sent,
    suppressed,
    failed: total.failed,
    pending,
    unaccounted: pending === null ? null : decided - total.sent - suppressed - total.failed - pending,
    foundAfterUnknownOutcome: lifecycle['found-after-unknown-outcome'],
    resentAfterUnknownOutcome: lifecycle['resent-after-unknown-outcome'],
  };
}

export const emptyLifecycle = (): Record<SmsLifecycleKind, number> => ({ decided: 0, 'found-after-unknown-outcome': 0, 'resent-after-unknown-outcome': 0 });

export const isLifecycleKind = (k: string): k is SmsLifecycleKind => (SMS_LIFECYCLE_KINDS as readonly string[]).includes(k);

/** Counts of one template (or of all, in `total`). */
export interface TemplateStats {
  sent: number;
  deferred: number;
  /** Messages dropped by the policy, by reason. */
  suppressed: Record<string, number>;
  failed: number;
  /** Final failures by code (SMS_SEND_REJECTED, SMS_TEMPLATE_VARIABLE_MISSING, …). */
  failedByCode: Record<string, number>;
  delivered: number;
  undelivered: number;
}

export interface SmsStatsSnapshot {
  byTemplate: Record<string, TemplateStats>;
  total: TemplateStats;
}

/**
 * Where outcomes are counted: Redis for live sending, memory for replays and tests. `record`
 * counts a kind at most once per message, so a retried webhook or a re-run job counts once.
 */
export interface SmsStatsRecorder {
  record(event: SmsEvent): Promise<void>;
}

export function emptyTemplateStats(): TemplateStats {
  return { sent: 0, deferred: 0, suppressed: {}, failed: 0, failedByCode: {}, delivered: 0, undelivered: 0 };
}

/** Adds `n` events of a kind (with its reason) to a row. */
export function addToStats(row: TemplateStats, kind: SmsEventKind, reason: string | undefined, n = 1): void {
  switch (kind) {
    case 'suppressed': {
      const r = reason ?? 'unknown';
      row.suppressed[r] = (row.suppressed[r] ?? 0) + n;
      if (row.suppressed[r] === 0) delete row.suppressed[r];
      break;
    }
    case 'failed': {
      row.failed += n;
      const r = reason ?? 'unknown';
      row.failedByCode[r] = (row.failedByCode[r] ?? 0) + n;
      if (row.failedByCode[r] === 0) delete row.failedByCode[r];
      break;
    }
    default:
      row[kind] += n;
  }
}

const sortedKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A snapshot with templates and reasons in a stable order, and the total row summed. */
export function snapshotOf(byTemplate: Map<string, TemplateStats> | Record<string, TemplateStats>): SmsStatsSnapshot {
  const entries = byTemplate instanceof Map ? [...byTemplate.entries()] : Object.entries(byTemplate);
  const total = emptyTemplateStats();
  const out: Record<string, TemplateStats> = {};
  for (const [template, row] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[template] = { ...row, suppressed: sortedKeys(row.suppressed), failedByCode: sortedKeys(row.failedByCode) };
    total.sent += row.sent;
    total.deferred += row.deferred;
    total.delivered += row.delivered;
    total.undelivered += row.undelivered;
    for (const [r, n] of Object.entries(row.suppressed)) addToStats(total, 'suppressed', r, n);
    for (const [r, n] of Object.entries(row.failedByCode)) addToStats(total, 'failed', r, n);
  }
  return { byTemplate: out, total: { ...total, suppressed: sortedKeys(total.suppressed), failedByCode: sortedKeys(total.failedByCode) } };
}

/**
 * Counts in memory. With `dedupe` (the default) a kind counts once per message key, as in Redis,
 * and a message holds one final state (a later one replaces it); a replay, which offers every
 * message once, turns it off to keep memory flat. The last `keepEvents` events are kept for inspection.
 */
export class MemorySmsStats implements SmsStatsRecorder {
  private readonly rows = new Map<string, TemplateStats>();
  private readonly seen = new Set<string>();
  private readonly finals = new Map<string, { template: string; kind: SmsEventKind; reason: string | undefined }>();
  readonly lifecycle = emptyLifecycle();
  readonly events: SmsEvent[] = [];

  constructor(private readonly opts: { dedupe?: boolean; keepEvents?: number } = {}) {}

  async record(event: SmsEvent): Promise<void> {
    this.recordSync(event);
  }

  private row(template: string): TemplateStats {
    let row = this.rows.get(template);
    if (!row) this.rows.set(template, (row = emptyTemplateStats()));
    return row;
  }

  recordSync(event: SmsEvent): void {
    const dedupe = this.opts.dedupe ?? true;
    const kind = event.kind;
    const final = !isLifecycleKind(kind) && SMS_FINAL_KINDS.includes(kind);
    if (dedupe && final) {
      const prev = this.finals.get(event.messageKey);
      if (prev && prev.kind === kind && prev.reason === event.reason) return;
      if (prev) addToStats(this.row(prev.template), prev.kind, prev.reason, -1);
      this.finals.set(event.messageKey, { template: event.template, kind, reason: event.reason });
      const d = `${event.messageKey}\u0000decided`;
      if (!this.seen.has(d)) {
        this.seen.add(d);
        this.lifecycle.decided++;
      }
    } else if (dedupe) {
      const k = `${event.messageKey}\u0000${kind}`;
      if (this.seen.has(k)) return;
      this.seen.add(k);
    }
    if (isLifecycleKind(kind)) this.lifecycle[kind]++;
    else addToStats(this.row(event.template), kind, event.reason);
    const keep = this.opts.keepEvents ?? 1000;
    if (keep > 0) {
      this.events.push(event);
      if (this.events.length > keep) this.events.shift();
    }
  }

  snapshot(): SmsStatsSnapshot {
    return snapshotOf(this.rows);
  }
}
