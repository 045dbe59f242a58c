/**
 * json-rules-engine behind the same result shape as the compiled rule set. It
 * is the reference semantics: tests check the compiled evaluator against it, and
 * callers can switch to it when they need the engine's own behaviour.
 */

import { Engine, type RuleResult } from 'json-rules-engine';
import type { Facts, RuleEvent, RuleOutcome, RuleProperties, RuleSetOptions } from './rule-types.js';

export interface ReferenceRuleSet {
  readonly size: number;
  /** One outcome per input rule, in input order; rejects when json-rules-engine does. */
  evaluate(facts: Facts): Promise<RuleOutcome[]>;
}

function toEvent(event: RuleResult['event']): RuleEvent {
  const type = event?.type as string;
  return event?.params === undefined ? { type } : { type, params: event.params };
}

/**
 * Wraps `new Engine(rules, { allowUndefinedFacts: true })` with each custom
 * operator registered through `engine.addOperator`. The input rules are not
 * modified.
 */
export function createReferenceRuleSet(
  rules: readonly RuleProperties[],
  options?: RuleSetOptions,
): ReferenceRuleSet {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, operator] of Object.entries(options?.operators ?? {})) {
    engine.addOperator(name, operator);
  }

  // Results come back grouped by outcome, not in input order; an internal name
  // per rule maps them back even when input names are missing or repeated.
  const indexByName = new Map<string, number>();
  rules.forEach((rule, index) => {
    const name = `rule-${index}`;
    indexByName.set(name, index);
    const copy: RuleProperties = { ...rule, name };
    // The engine rewrites condition priorities in place, so it gets its own copy.
    if (Object.hasOwn(rule, 'conditions')) copy.conditions = structuredClone(rule.conditions);
    engine.addRule(copy);
  });

  async function runOnce(facts: Facts): Promise<RuleOutcome[]> {
    const { results, failureResults } = await engine.run(facts as Record<string, unknown>);
    const outcomes = new Array<RuleOutcome>(rules.length);
    const record = (result: RuleResult, fired: boolean): void => {
      const index = indexByName.get(result.name)!;
      outcomes[index] = {
        index,
        name: rules[index]!.name,
        priority: result.priority as number,
        fired,
        event: toEvent(result.event),
      };
    };
    for (const result of results) record(result, true);
    for (const result of failureResults) record(result, false);
    for (let i = 0; i < outcomes.length; i++) {
      if (outcomes[i] === undefined) throw new Error(`json-rules-engine returned no result for rule #${i}`);
    }
    return outcomes;
  }

  // Engine.run keeps its RUNNING/FINISHED status on the engine, so a run that
  // finishes first makes an overlapping run skip its remaining priority groups.
  // Runs are therefore queued one after another.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    size: rules.length,
    evaluate(facts: Facts): Promise<RuleOutcome[]> {
      const run = queue.then(() => runOnce(facts));
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
