import type { Staffing } from '../staffing/staffing.js';
import { isQueueId } from './stream-cursor.js';
import { NamedError } from '../errors/named-error.js';

export class AgentQueuesError extends NamedError {
  readonly code = 'AGENT_QUEUES_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'AgentQueuesError';
  }
}

/** At most this many queues per desktop: one blocking read covers them all. */
export const MAX_QUEUES_PER_AGENT = 32;

/** A `queues=vip,general` list: trimmed, de-duplicated, in the order given. */
export function parseQueueList(text: string): string[] {
  const queues = [...new Set(text.split(',').map((q) => q.trim()).filter(Boolean))];
  if (queues.length === 0) throw new AgentQueuesError('queues is empty: give queue ids separated by commas, e.g. queues=vip,general');
  const bad = queues.filter((q) => !isQueueId(q));
  if (bad.length) throw new AgentQueuesError(`not a queue id: ${bad.map((q) => JSON.stringify(q)).join(', ')} (letters, digits, '-', '_' and '.')`);
  if (queues.length > MAX_QUEUES_PER_AGENT) throw new AgentQueuesError(`${queues.length} queues: at most ${MAX_QUEUES_PER_AGENT} per desktop`);
  return queues;
}

/**
 * The staffing group an agent belongs to, by the convention that an agent id starts with its
 * group's id (`vip-desk-07` and `vip-desk.li` are in `vip-desk`; the longest matching group wins), and the queues
 * that group has skills for, primary skills first. Null when no group matches.
 */
export function queuesOfAgent(agentId: string, staffing: Pick<Staffing, 'groups'>): { group: string; queues: string[] } | null {
  let best: Staffing['groups'][number] | undefined;
  for (const g of staffing.groups) {
    const matches = agentId === g.id || agentId.startsWith(`${g.id}-`) || agentId.startsWith(`${g.id}.`);
    if (matches && (!best || g.id.length > best.id.length)) best = g;
  }
  if (!best) return null;
  const queues = Object.entries(best.skills)
    .map(([queue, level], i) => ({ queue, level, i }))
    .sort((a, b) => a.level - b.level || a.i - b.i)
    .map((s) => s.queue);
  return { group: best.id, queues };
}
