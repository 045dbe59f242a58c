import type { CallOutcome } from '../simulation/call-outcome.js';
import type { OfferedCall } from '../simulation/offered-call.js';
import { formatOffsetDateTime, parseOffsetDateTime } from '../trace/date-time.js';
import type { TraceReadStats } from '../trace/trace-reader.js';

/** The columns of an ACD call log, in order (docs/trace-format.md, "Simulated days as ACD logs"). */
export const ACD_LOG_COLUMNS = ['callId', 'customerId', 'queue', 'priority', 'arrivalTime', 'waitSec', 'outcome', 'talkSec', 'agentId'] as const;

export type AcdLogRow = Record<(typeof ACD_LOG_COLUMNS)[number], string | number>;

interface Held {
  seq: number;
  queuedSec: number;
  callId: string;
  customerId: string;
  queue: string;
  priority: number;
  waitSec: number;
  outcome: 'answered' | 'abandoned' | 'unanswered';
  talkSec: number | '';
  agentId: string;
}

/** Agents of one group, told apart: who is free, and since when. */
interface GroupAgents {
  count: number;
  /** Free agents, longest idle first. */
  idle: { id: string; since: number }[];
  /** Busy agents and when they are free again (after talk and after-call work). */
  busy: { id: string; until: number }[];
}

/**
 * Records a replay's simulated calls as an ACD call log: one row per call that reached the
 * agent queues, in the order they joined them. The simulator counts a group's agents rather than
 * naming them, so agent ids are given here the way the simulator chooses agents: a call goes to
 * the group's longest-idle agent, and an agent is busy until its talk and after-call work end;
 * a group needs as many ids as it ever has agents busy at once (`group-1`, `group-2`, …).
 */
export class AcdLogRecorder {
  private readonly rows: Held[] = [];
  private readonly groups = new Map<string, GroupAgents>();

  /** One simulated call's outcome; `customerId` ties a caller's retries together. */
  add(o: CallOutcome, call: OfferedCall, customerId: string): void {
    const answered = o.answered;
    this.rows.push({
      seq: o.seq,
      queuedSec: o.queuedSec,
      callId: o.callId,
      customerId,
      queue: o.entryQueue,
      priority: call.route.priority,
      waitSec: o.waitSec,
      outcome: answered ? 'answered' : o.abandoned ? 'abandoned' : 'unanswered',
      talkSec: answered ? o.talkSec : '',
      agentId: answered ? this.agentFor(o.agentGroup!, o.answeredSec!, o.answeredSec! + o.talkSec + o.wrapSec) : '',
    });
  }

  get size(): number {
    return this.rows.length;
  }

  /**
   * The rows in arrival order at the queues. `origin` is the trace's (ReplayRun.traceOrigin): times
   * are written with its UTC offset; a trace timed in seconds counts from 1970-01-01T00:00Z.
   */
  logRows(origin: TraceReadStats['origin']): AcdLogRow[] {
    const at = origin ? parseOffsetDateTime(origin.arrivalTime) : undefined;
    const offsetMin = at?.offsetMin ?? 0;
    const dayZeroMs = at && origin ? at.epochMs - Math.round(origin.secOfDay * 1000) : 0;
    return [...this.rows]
      .sort((a, b) => a.queuedSec - b.queuedSec || a.seq - b.seq)
      .map((r) => ({
        callId: r.callId,
        customerId: r.customerId,
        queue: r.queue,
        priority: r.priority,
        arrivalTime: formatOffsetDateTime(dayZeroMs + Math.round(r.queuedSec * 1000), offsetMin),
        waitSec: round3(r.waitSec),
        outcome: r.outcome,
        talkSec: r.talkSec === '' ? '' : round3(r.talkSec),
        agentId: r.agentId,
      }));
  }

  /** The log as CSV with a header row. */
  csv(origin: TraceReadStats['origin']): string {
    const lines = [ACD_LOG_COLUMNS.join(',')];
    for (const row of this.logRows(origin)) lines.push(ACD_LOG_COLUMNS.map((c) => csvCell(row[c])).join(','));
    return lines.join('\n') + '\n';
  }

  /** The log as JSON Lines with the same names; empty cells are left out. */
  jsonl(origin: TraceReadStats['origin']): string {
    return this.logRows(origin)
      .map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== ''))) + '\n')
      .join('');
  }

  private agentFor(group: string, fromSec: number, untilSec: number): string {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { count: 0, idle: [], busy: [] }));
    // Agents whose work ended by now are idle again, in the order they became free.
    g.busy.sort((a, b) => a.until - b.until);
    while (g.busy.length && g.busy[0]!.until <= fromSec) {
      const done = g.busy.shift()!;
      g.idle.push({ id: done.id, since: done.until });
    }
    const agent = g.idle.shift()?.id ?? `${group}-${++g.count}`;
    g.busy.push({ id: agent, until: untilSec });
    return agent;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
