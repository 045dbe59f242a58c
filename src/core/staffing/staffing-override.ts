/**
 * The "what if we had N agents on this queue" question, asked from the command line as
 * "general=35,vip=8": each listed queue is served by exactly N dedicated single-skill agents,
 * all day, and by nobody else (its skill is taken off the base file's groups; a group left
 * with no skill is dropped). Queues not listed keep the base file's groups as they are, and
 * its queues, service level, interval and default wrap are kept.
 */

import { suggestion } from './did-you-mean.js';
import type { AgentGroupSpec, Staffing } from './staffing.js';
import { IssueCollector } from '../config/config-error.js';
import { StaffingFileError } from './staffing-file-error.js';

export function overrideStaffing(spec: string, base: Staffing, source = 'staffing override'): Staffing {
  const known = base.queues.map((q) => q.id);
  const issues = new IssueCollector();
  const problem = (path: string, message: string) => issues.error(source, path, message);
  const agentsByQueue = new Map<string, number>();

  const items = spec.split(',').map((s) => s.trim());
  if (spec.trim() === '') problem('$', "is empty; expected 'queue=agents' pairs such as 'general=35,vip=8'");
  else {
    items.forEach((item, i) => {
      const path = `$[${i}]`;
      const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(item);
      if (!match) {
        problem(path, `'${item}' is not of the form queue=agents`);
        return;
      }
      const [, queue, count] = match as unknown as [string, string, string];
      if (!known.includes(queue)) problem(path, `names unknown queue '${queue}'${suggestion(queue, known)}; known queues: ${known.join(', ')}`);
      else if (agentsByQueue.has(queue)) problem(path, `gives queue '${queue}' a second time`);
      if (!/^\d+$/.test(count)) problem(path, `agents for '${queue}' must be a whole number >= 0, got '${count}'`);
      else agentsByQueue.set(queue, Number(count));
    });
  }
  if (issues.hasErrors) throw new StaffingFileError('STAFFING_OVERRIDE_INVALID', issues.issues);

  const kept: AgentGroupSpec[] = [];
  for (const group of base.groups) {
    const skills = Object.fromEntries(Object.entries(group.skills).filter(([queue]) => !agentsByQueue.has(queue)));
    if (Object.keys(skills).length > 0) kept.push({ ...group, skills });
  }
  const ids = new Set(kept.map((g) => g.id));
  const dedicated: AgentGroupSpec[] = [...agentsByQueue].map(([queue, agents]) => {
    let id = `${queue}-only`;
    for (let n = 2; ids.has(id); n++) id = `${queue}-only-${n}`;
    ids.add(id);
    return { id, name: `${agents} dedicated agents for ${queue}`, skills: { [queue]: 1 }, agents };
  });
  return { ...base, groups: [...kept, ...dedicated] };
}
