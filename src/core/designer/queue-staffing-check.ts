import { basename } from 'node:path';
import { pointer, type ConfigIssue, type IssueCollector } from '../config/config-error.js';
import type { LoadedRules, RouteParams } from '../rules/rule-files.js';
import { daySchedule, everStaffed } from '../staffing/shift-schedule.js';
import type { Staffing } from '../staffing/staffing.js';

/** A staffing file that loaded, with where it came from. */
export interface LoadedStaffing {
  file: string;
  staffing: Staffing;
}

/**
 * Routes to queues nobody answers: every queue a routing rule (or the routing default) sends
 * calls to, overflow queues included, needs a group with a skill for it that has agents at some
 * time of day. Queues missing from the staffing file are errors of validation already.
 */
export function checkQueuesStaffed(rules: LoadedRules, { file, staffing }: LoadedStaffing, issues: IssueCollector): void {
  const known = new Set(staffing.queues.map((q) => q.id));
  const why = (queue: string): string | undefined => {
    if (!known.has(queue)) return undefined;
    const serving = staffing.groups.filter((g) => queue in g.skills);
    if (serving.length === 0) return `no group in ${basename(file)} has a skill for it`;
    if (!serving.some((g) => everStaffed(daySchedule(g)))) return `the groups with a skill for it (${serving.map((g) => g.id).join(', ')}) have no agents at any time of day in ${basename(file)}`;
    return undefined;
  };
  const check = (route: RouteParams, base: string) => {
    const main = why(route.queue);
    if (main) issues.warning(rules.routing.file, base + pointer('queue'), `calls routed to queue "${route.queue}" are never answered: ${main}`);
    (route.overflow ?? []).forEach((step, j) => {
      const reason = why(step.queue);
      if (reason) {
        issues.warning(
          rules.routing.file,
          base + pointer('overflow', j, 'queue'),
          `calls overflowing to queue "${step.queue}" after ${step.afterSec} s are never answered there: ${reason}`,
        );
      }
    });
  };
  check(rules.routeDefault, pointer('default'));
  rules.routing.doc.rules.forEach((r, i) => check(r.event.params as unknown as RouteParams, pointer('rules', i, 'event', 'params')));
}

/** A staffing file's issue in the configuration's terms: `$.groups[0].skills["vip"]` → `/groups/0/skills/vip`. */
export function staffingIssue(issue: ConfigIssue, severity: ConfigIssue['severity']): ConfigIssue {
  const segments: Array<string | number> = [];
  const re = /\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (let m = re.exec(issue.path); m; m = re.exec(issue.path)) {
    if (m[1] !== undefined) segments.push(m[1]);
    else if (m[2] !== undefined) segments.push(Number(m[2]));
    else segments.push(JSON.parse(m[3]!) as string);
  }
  return { file: issue.file, path: pointer(...segments), message: issue.message, severity };
}
