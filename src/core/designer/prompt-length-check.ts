import { join } from 'node:path';
import { pointer, type IssueCollector } from '../config/config-error.js';
import type { Configuration } from '../configuration/configuration.js';
import type { StateConfig } from '../flows/flow-types.js';
import { transitionsOf } from '../flows/flow-types.js';
import { LANGUAGES } from '../profile/customer-profile.js';
import type { Facts } from '../profile/facts.js';
import { promptsSaid } from './flow-labels.js';
import type { SampleCaller } from './sample-callers.js';

/**
 * Prompts that take longer than a caller will listen to. A prompt's length depends on who
 * hears it (it names their plan, their balance…), so it is measured for the customers of the
 * segments whose flows say it, and the median stands for the typical caller.
 */
export function checkPromptLengths(config: Configuration, callers: readonly SampleCaller[], maxSec: number, issues: IssueCollector): void {
  const prompts = config.flows.prompts;
  const file = join(config.flows.dir, 'prompts.json');
  const segmentsSaying = new Map<string, Set<string>>();
  for (const flow of config.flows.flows.values()) {
    for (const id of promptIdsOf(flow.config)) {
      let set = segmentsSaying.get(id);
      if (!set) segmentsSaying.set(id, (set = new Set()));
      set.add(flow.segment);
    }
  }
  for (const [id, segments] of segmentsSaying) {
    const spec = prompts.file.prompts[id];
    if (!spec) continue;
    const listeners = callers.filter((c) => segments.has(c.segment)).map((c) => c.facts);
    // A segment with no sample customer still has callers: measure with an unknown caller's facts.
    const factsList: Facts[] = listeners.length ? listeners : [{ known: false }];
    for (const lang of LANGUAGES) {
      if (spec.text[lang] === undefined) continue;
      const secs = factsList.map((f) => prompts.durationSec(id, f, lang)).sort((a, b) => a - b);
      const median = secs[Math.floor((secs.length - 1) / 2)]!;
      if (median <= maxSec) continue;
      const who = listeners.length ? `median over ${listeners.length} customers of ${[...segments].join(', ')}` : 'an unknown caller';
      const longest = secs[secs.length - 1]!;
      issues.warning(
        file,
        pointer('prompts', id, 'text', lang),
        `prompt "${id}" (${lang}) takes ${median.toFixed(1)} s for a typical caller (${who}${longest > median ? `; up to ${longest.toFixed(1)} s` : ''}), ` +
          `longer than ${maxSec} s: shorten it or split it over two states`,
      );
    }
  }
}

/** Every prompt id a flow can say: on entering states and on transitions, rotations included. */
function promptIdsOf(state: StateConfig): Set<string> {
  const ids = new Set<string>();
  const visit = (s: StateConfig) => {
    for (const said of [...promptsSaid(s.entry), ...promptsSaid(s.exit)]) said.ids.forEach((id) => ids.add(id));
    const specs = [...Object.values(s.on ?? {}), s.always, s.onDone];
    for (const t of specs.flatMap((spec) => transitionsOf(spec))) for (const said of promptsSaid(t.actions)) said.ids.forEach((id) => ids.add(id));
    Object.values(s.states ?? {}).forEach(visit);
  };
  visit(state);
  return ids;
}
