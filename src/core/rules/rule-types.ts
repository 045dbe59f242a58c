/**
 * Shapes shared by the compiled rule set and the json-rules-engine reference,
 * so callers and tests can switch between the two.
 */

export type { RuleProperties } from 'json-rules-engine';

/**
 * Fact values for one evaluation, keyed by fact name. Plain data only: a
 * function value would be called by json-rules-engine as a dynamic fact, so
 * the two evaluators would no longer agree.
 */
export type Facts = Readonly<Record<string, unknown>>;

/**
 * A custom operator, exactly as registered with json-rules-engine's
 * `engine.addOperator(name, fn)`. Should be pure and return a boolean; a
 * non-boolean return is treated by its truthiness in places and compared
 * `=== true` in others, as json-rules-engine does.
 */
export type CustomOperator = (factValue: unknown, jsonValue: unknown) => boolean;

export interface RuleSetOptions {
  /** Custom operators by name; a name that matches a default operator replaces it, as in json-rules-engine. */
  readonly operators?: Readonly<Record<string, CustomOperator>>;
}

export interface RuleEvent {
  readonly type: string;
  /** Present only when the rule's event has truthy params, mirroring json-rules-engine's `setEvent`. */
  readonly params?: Readonly<Record<string, unknown>>;
}

/** The decision on one rule for one set of facts. */
export interface RuleOutcome {
  /** Position of the rule in the input array. */
  readonly index: number;
  /** The input rule's `name`, as given. */
  readonly name: string | undefined;
  /** The rule priority as json-rules-engine reports it (1 when absent). */
  readonly priority: number;
  readonly fired: boolean;
  readonly event: RuleEvent;
}
