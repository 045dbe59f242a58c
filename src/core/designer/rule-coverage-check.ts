import { basename } from 'node:path';
import { pointer, type IssueCollector } from '../config/config-error.js';
import type { Configuration } from '../configuration/configuration.js';
import type { CallDecider } from '../decision/call-decider.js';
import type { Decision } from '../decision/decision.js';
import { FlowLoopError } from '../flows/ivr-player.js';
import type { KeyPress } from '../flows/key-presses.js';
import type { LoadedRuleSet, RuleKind } from '../rules/rule-files.js';
import type { SampleCaller } from './sample-callers.js';

/** How often each rule of a set fired, and how often it was the one that decided. */
interface Tally {
  fired: number[];
  decided: number[];
  /** For a rule that fired but never decided: the rule that decided instead, most often. */
  beatenBy: Map<number, Map<number, number>>;
}

function tally(set: LoadedRuleSet): Tally {
  return { fired: set.doc.rules.map(() => 0), decided: set.doc.rules.map(() => 0), beatenBy: new Map() };
}

function record(t: Tally, fired: number[], decider: number | undefined): void {
  for (const i of fired) {
    t.fired[i]!++;
    if (decider === undefined) continue;
    if (i === decider) t.decided[i]!++;
    else {
      let m = t.beatenBy.get(i);
      if (!m) t.beatenBy.set(i, (m = new Map()));
      m.set(decider, (m.get(decider) ?? 0) + 1);
    }
  }
}

/**
 * Rules that never fire for anyone in the customers file. Segmentation rules are evaluated on
 * every customer's profile; hand-off rules (routing, pop-ups, SMS) need a call too, so every
 * customer makes each of the representative calls of their segment's flow and the decision
 * says which rules fired. Segmentation and routing take the first rule by priority, so a rule
 * that fires but is always outranked is reported too.
 */
export function checkRulesFire(
  config: Configuration,
  decider: CallDecider,
  callers: readonly SampleCaller[],
  callsBySegment: ReadonlyMap<string, KeyPress[][]>,
  issues: IssueCollector,
): void {
  const rules = config.rules;
  const customers = `${callers.length} customers in ${basename(config.paths.customersFile)}`;
  const tallies: Record<RuleKind, Tally> = {
    segments: tally(rules.segments),
    routing: tally(rules.routing),
    popups: tally(rules.popups),
    sms: tally(rules.sms),
  };
  const indexOf = (set: LoadedRuleSet) => new Map(set.doc.rules.map((r, i) => [r.name!, i]));
  const index: Record<RuleKind, Map<string, number>> = {
    segments: indexOf(rules.segments),
    routing: indexOf(rules.routing),
    popups: indexOf(rules.popups),
    sms: indexOf(rules.sms),
  };

  for (const c of callers) {
    const flags = rules.segments.compiled.evaluateFired(c.facts);
    const fired = rules.segments.precedence.filter((i) => flags[i]);
    record(tallies.segments, fired, fired[0]);
  }
  let calls = 0;
  for (const c of callers) {
    for (const keys of callsBySegment.get(c.segment) ?? [[]]) {
      let d: Decision;
      try {
        d = decider.decide({ callId: 'lint', profile: c.profile, keys });
      } catch (err) {
        // A call that never ends has no hand-off to check; the flow checks report why.
        if (err instanceof FlowLoopError) continue;
        throw err;
      }
      calls++;
      for (const kind of ['routing', 'popups', 'sms'] as const) {
        const fired = d.explanation.fired[kind].map((name) => index[kind].get(name)!);
        const decidedBy = kind === 'routing' && d.route?.rule ? index.routing.get(d.route.rule) : undefined;
        record(tallies[kind], fired, kind === 'routing' ? decidedBy : undefined);
      }
    }
  }

  const report = (kind: RuleKind, set: LoadedRuleSet, neverFired: (reads: string) => string, decides: string | null) => {
    const t = tallies[kind];
    set.doc.rules.forEach((rule, i) => {
      const reads = set.factsByRule[i]!.join(', ');
      if (t.fired[i] === 0) {
        issues.warning(set.file, pointer('rules', i), `rule "${rule.name}" never fired: ${neverFired(reads)}`);
      } else if (decides && t.decided[i] === 0) {
        const winner = [...(t.beatenBy.get(i) ?? new Map<number, number>())].sort((a, b) => b[1] - a[1])[0];
        const by = winner ? ` (mostly "${set.doc.rules[winner[0]]!.name}")` : '';
        issues.warning(
          set.file,
          pointer('rules', i),
          `rule "${rule.name}" fires (${t.fired[i]} times) but never ${decides}: a rule that comes first by priority always fires too${by}`,
        );
      }
    });
  };
  report('segments', rules.segments, (reads) => `none of the ${customers} has the profile it needs (it reads ${reads})`, 'decides the segment');
  const onCalls = (reads: string) =>
    `not on any of ${calls} calls (the ${customers}, each making the representative calls of their segment's flow: ` +
    `the shortest keys to every state, then every key or timeout there); it reads ${reads}`;
  report('routing', rules.routing, onCalls, 'chooses the queue');
  report('popups', rules.popups, onCalls, null);
  report('sms', rules.sms, onCalls, null);
}
