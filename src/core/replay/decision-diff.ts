import type { CompactDecision } from './compact-decision.js';

export type DiffKind = 'segment' | 'outcome' | 'queue' | 'priority' | 'tags' | 'sms';
export const DIFF_KINDS: readonly DiffKind[] = ['segment', 'outcome', 'queue', 'priority', 'tags', 'sms'];

export interface DecisionDiffSummary {
  compared: number;
  /** Calls decided differently in at least one respect. */
  different: number;
  byKind: Record<DiffKind, number>;
  /** The first few differing calls, for a look at what changed. */
  examples: Array<{ callId: string; kinds: DiffKind[]; baseline: string; candidate: string }>;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** What differs between two decisions of the same call. */
export function diffDecisions(a: CompactDecision, b: CompactDecision): DiffKind[] {
  const kinds: DiffKind[] = [];
  if (a.segment !== b.segment) kinds.push('segment');
  if (a.outcome !== b.outcome) kinds.push('outcome');
  if ((a.route?.queue ?? null) !== (b.route?.queue ?? null)) kinds.push('queue');
  if ((a.route?.priority ?? null) !== (b.route?.priority ?? null)) kinds.push('priority');
  if (!sameSet(a.tags, b.tags)) kinds.push('tags');
  if (!sameSet(a.sms.map((s) => s.template), b.sms.map((s) => s.template))) kinds.push('sms');
  return kinds;
}

function brief(d: CompactDecision): string {
  const route = d.route ? `${d.route.queue}/${d.route.priority}` : '—';
  return `${d.segment} ${d.outcome} route ${route} tags [${d.tags.join(',')}] sms [${d.sms.map((s) => s.template).join(',')}]`;
}

/** Counts differences call by call without keeping the calls. */
export class DecisionDiffer {
  private readonly summary: DecisionDiffSummary = {
    compared: 0,
    different: 0,
    byKind: Object.fromEntries(DIFF_KINDS.map((k) => [k, 0])) as Record<DiffKind, number>,
    examples: [],
  };

  constructor(private readonly maxExamples = 10) {}

  add(callId: string, a: CompactDecision | null, b: CompactDecision | null): void {
    this.summary.compared++;
    if (a === null || b === null) return; // ACD-level lines are not decided
    const kinds = diffDecisions(a, b);
    if (kinds.length === 0) return;
    this.summary.different++;
    for (const k of kinds) this.summary.byKind[k]++;
    if (this.summary.examples.length < this.maxExamples) this.summary.examples.push({ callId, kinds, baseline: brief(a), candidate: brief(b) });
  }

  result(): DecisionDiffSummary {
    return structuredClone(this.summary);
  }
}
