import type { AcdCall } from './acd-log.js';

/** Agents who answered calls of connected queues: one group with every one of those queues as a skill. */
export interface AgentGroup {
  id: string;
  queues: string[];
  agents: string[];
  /** Calls each queue's agents answered, for the report. */
  answered: number;
}

/** Gaps between an agent's calls shorter than this count as presence (unless a caller waited meanwhile). */
export const DEFAULT_PRESENCE_GAP_SEC = 15 * 60;

/**
 * Groups from which queues each agent answered: queues joined by an agent who answered both
 * end up in one group (the connected components of the agent–queue graph), as centres that
 * share agents across queues run them. Queues no agent answered get a group of their own with
 * no agents. Group ids: the queue ids joined by "_".
 */
export function agentGroups(calls: readonly AcdCall[], queues: readonly string[]): AgentGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const q of queues) parent.set(`q:${q}`, `q:${q}`);
  const answered = new Map<string, number>();
  for (const c of calls) {
    if (c.outcome !== 'answered' || c.agentId === undefined) continue;
    const a = `a:${c.agentId}`;
    if (!parent.has(a)) parent.set(a, a);
    union(a, `q:${c.queue}`);
    answered.set(c.queue, (answered.get(c.queue) ?? 0) + 1);
  }
  const byRoot = new Map<string, { queues: string[]; agents: string[] }>();
  for (const node of parent.keys()) {
    const root = find(node);
    let g = byRoot.get(root);
    if (!g) byRoot.set(root, (g = { queues: [], agents: [] }));
    if (node.startsWith('q:')) g.queues.push(node.slice(2));
    else g.agents.push(node.slice(2));
  }
  return [...byRoot.values()]
    .map((g) => {
      const qs = queues.filter((q) => g.queues.includes(q));
      return { id: qs.join('_'), queues: qs, agents: g.agents.sort(), answered: qs.reduce((s, q) => s + (answered.get(q) ?? 0), 0) };
    })
    .sort((a, b) => queues.indexOf(a.queues[0]!) - queues.indexOf(b.queues[0]!));
}

/** Sorted, disjoint [from, to) spans in seconds. */
type Spans = [number, number][];

function merge(spans: Spans): Spans {
  const sorted = spans.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Spans = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** [a, b) minus the merged spans. */
function subtract(a: number, b: number, spans: Spans, startIdx: number): Spans {
  const out: Spans = [];
  let cur = a;
  for (let i = startIdx; i < spans.length && spans[i]![0] < b; i++) {
    const [s, e] = spans[i]!;
    if (e <= cur) continue;
    if (s > cur) out.push([cur, Math.min(s, b)]);
    cur = Math.max(cur, e);
    if (cur >= b) break;
  }
  if (cur < b) out.push([cur, b]);
  return out;
}

/** First index whose span ends after t (spans sorted and disjoint). */
function firstEndingAfter(spans: Spans, t: number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]![1] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface PresenceOptions {
  /** Seconds; default 15 minutes. */
  maxGapSec?: number;
  /** Epoch ms of the clock's zero (the day's local midnight); presence is in seconds after it. */
  originMs: number;
}

/**
 * When each agent of a group was available, in seconds after `originMs`. An agent is present
 * while on a call (answer to answer + talk), and between two of its calls when the gap is
 * shorter than `maxGapSec` — except while a caller of the group's queues waited and the agent
 * stayed idle: an ACD gives a waiting call to any available agent, so that agent was on a break
 * or other work, from the end of its call (where breaks begin) to the last such wait. Time before an agent's first call and after its last call of a spell is not
 * seen and not counted (see docs/calibration.md for the bias this leaves).
 */
export function groupPresence(calls: readonly AcdCall[], group: AgentGroup, opts: PresenceOptions): Spans {
  const maxGap = opts.maxGapSec ?? DEFAULT_PRESENCE_GAP_SEC;
  const at = (c: AcdCall) => (c.epochMs - opts.originMs) / 1000;
  const inGroup = new Set(group.queues);
  const waiting = merge(calls.filter((c) => inGroup.has(c.queue) && c.waitSec > 0).map((c) => [at(c), at(c) + c.waitSec]));
  const byAgent = new Map<string, Spans>();
  for (const c of calls) {
    if (c.outcome !== 'answered' || c.agentId === undefined || !inGroup.has(c.queue)) continue;
    const start = at(c) + c.waitSec;
    let list = byAgent.get(c.agentId);
    if (!list) byAgent.set(c.agentId, (list = []));
    list.push([start, start + c.talkSec]);
  }
  const all: Spans = [];
  for (const busy of byAgent.values()) {
    const spans = merge(busy);
    for (let i = 0; i < spans.length; i++) {
      const [s, e] = spans[i]!;
      all.push([s, e]);
      const next = spans[i + 1];
      if (!next) continue;
      const gap = next[0] - e;
      if (gap <= 0 || gap >= maxGap) continue;
      const idle = subtract(e, next[0], waiting, firstEndingAfter(waiting, e));
      if (idle.length === 1 && idle[0]![0] === e && idle[0]![1] === next[0]) all.push([e, next[0]]);
      // A caller waited while this agent was idle: it was away. An agent goes on a break or to
      // other work as a call ends, so it counts as away from the call's end to the last such
      // wait, and present for the idle time after that.
      else if (idle.length) {
        const last = idle[idle.length - 1]!;
        if (last[1] === next[0]) all.push(last);
      }
    }
  }
  return all;
}

/**
 * Agents available on average in each interval: presence seconds in the interval divided by
 * its length. `spans` may overlap (one per agent); keys are interval numbers from the origin.
 */
export function agentsByInterval(spans: Spans, intervalSec: number): Map<number, number> {
  const sec = new Map<number, number>();
  for (const [a, b] of spans) {
    for (let i = Math.floor(a / intervalSec); i * intervalSec < b; i++) {
      const lo = Math.max(a, i * intervalSec);
      const hi = Math.min(b, (i + 1) * intervalSec);
      if (hi > lo) sec.set(i, (sec.get(i) ?? 0) + (hi - lo));
    }
  }
  const out = new Map<number, number>();
  for (const [i, s] of sec) out.set(i, s / intervalSec);
  return out;
}
