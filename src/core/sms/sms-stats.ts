export type SmsEventKind = 'sent' | 'suppressed' | 'deferred' | 'failed' | 'delivered' | 'undelivered';
export const SMS_EVENT_KINDS: readonly SmsEventKind[] = ['sent', 'suppressed', 'deferred', 'failed', 'delivered', 'undelivered'];

/** Something that happened to one decided message. */
export interface SmsEvent {
  kind: SmsEventKind;
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
}

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
      break;
    }
    case 'failed': {
      row.failed += n;
      const r = reason ?? 'unknown';
      row.failedByCode[r] = (row.failedByCode[r] ?? 0) + n;
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
 * Counts in memory. With `dedupe` (the default) a kind counts once per message key, as in Redis;
 * a replay, which offers every message once, turns it off to keep memory flat. The last `keepEvents`
 * events are kept for inspection.
 */
export class MemorySmsStats implements SmsStatsRecorder {
  private readonly rows = new Map<string, TemplateStats>();
  private readonly seen = new Set<string>();
  readonly events: SmsEvent[] = [];

  constructor(private readonly opts: { dedupe?: boolean; keepEvents?: number } = {}) {}

  async record(event: SmsEvent): Promise<void> {
    this.recordSync(event);
  }

  recordSync(event: SmsEvent): void {
    if (this.opts.dedupe ?? true) {
      const k = `${event.messageKey}\u0000${event.kind}`;
      if (this.seen.has(k)) return;
      this.seen.add(k);
    }
    let row = this.rows.get(event.template);
    if (!row) this.rows.set(event.template, (row = emptyTemplateStats()));
    addToStats(row, event.kind, event.reason);
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
