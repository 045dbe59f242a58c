import { NamedError } from '../errors/named-error.js';

/**
 * Errors raised while compiling or evaluating rule sets. Codes are stable so
 * loaders, the CLI and the HTTP exception filter can map them without parsing
 * messages.
 */

export type RuleCompileErrorCode =
  /** The rule itself is malformed: not an object, no event or conditions, bad name or priority. */
  | 'INVALID_RULE'
  /** A condition has the wrong shape (e.g. `all` that is not an array, a leaf without `operator`). */
  | 'INVALID_CONDITION'
  /** A key the rule language does not define; usually a typo that json-rules-engine would silently ignore. */
  | 'UNKNOWN_KEY'
  /** The operator name resolves to no operator, even after peeling off decorators. */
  | 'UNKNOWN_OPERATOR'
  /** A custom operator supplied in options is not a function. */
  | 'INVALID_OPERATOR'
  /** A literal value that makes the operator throw on every evaluation (e.g. `in` with a number). */
  | 'INVALID_VALUE'
  /** A JSONPath beyond the plain dotted form (`$.a.b`, `$.a[0]`). */
  | 'UNSUPPORTED_PATH'
  /** A `condition` reference to a shared condition (engine.setCondition). */
  | 'UNSUPPORTED_CONDITION_REFERENCE'
  /** Fact `params`, which only dynamic facts can use. */
  | 'UNSUPPORTED_FACT_PARAMS'
  /** `onSuccess` / `onFailure` callbacks, which a pure evaluation cannot run. */
  | 'UNSUPPORTED_CALLBACK';

export interface RuleLocation {
  /** Index of the rule in the input array; -1 for problems in the options rather than a rule. */
  readonly ruleIndex: number;
  readonly ruleName: string | undefined;
  /** Where in the rule the problem is, e.g. `conditions.all[1].any[0].path`. */
  readonly conditionPath: string;
}

function describeRule(location: RuleLocation): string {
  const named = location.ruleName === undefined ? '' : ` "${location.ruleName}"`;
  const subject = location.ruleIndex < 0 ? 'rule set options' : `rule #${location.ruleIndex}${named}`;
  return location.conditionPath === '' ? subject : `${subject}, at ${location.conditionPath}`;
}

/** A rule the compiled evaluator refuses, rather than risk deciding differently from json-rules-engine. */
export class RuleCompileError extends NamedError {
  override readonly name = 'RuleCompileError';
  readonly ruleIndex: number;
  readonly ruleName: string | undefined;
  readonly conditionPath: string;

  constructor(
    readonly code: RuleCompileErrorCode,
    location: RuleLocation,
    detail: string,
  ) {
    super(`${describeRule(location)}: ${detail}`);
    this.ruleIndex = location.ruleIndex;
    this.ruleName = location.ruleName;
    this.conditionPath = location.conditionPath;
  }
}

/**
 * An operator threw while a rule was evaluated (json-rules-engine rejects the
 * whole run in the same case). Carries the rule and condition so a trace
 * replay can say which rule broke on which call.
 */
export class RuleEvaluationError extends NamedError {
  override readonly name = 'RuleEvaluationError';
  readonly code = 'OPERATOR_FAILED' as const;
  readonly ruleIndex: number;
  readonly ruleName: string | undefined;
  readonly conditionPath: string;

  constructor(location: RuleLocation, operator: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`${describeRule(location)}: operator "${operator}" failed: ${reason}`, { cause });
    this.ruleIndex = location.ruleIndex;
    this.ruleName = location.ruleName;
    this.conditionPath = location.conditionPath;
  }
}
