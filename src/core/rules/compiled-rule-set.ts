/**
 * A synchronous, compiled evaluator for json-rules-engine rule sets.
 *
 * json-rules-engine stays the reference semantics (see reference-rule-set.ts);
 * this file reproduces its decisions for static facts without promises or a
 * per-run Almanac, so the trace replayer can evaluate rule sets per call at
 * scale. Each rule compiles once into closures. Anything whose meaning we do not
 * reproduce exactly is refused with a RuleCompileError, never approximated.
 *
 * Points where json-rules-engine 7.3 behaves in ways a reader might not expect,
 * all mirrored here:
 * - an empty `all` AND an empty `any` are both true (prioritizeAndRun returns
 *   true for an empty list whatever the operator);
 * - a boolean node with several children counts a child as passed only if it
 *   returned exactly `true`, but a node with a single child passes that child's
 *   raw result up, and the rule fires on a truthy result; this matters only for
 *   custom operators that return non-booleans;
 * - children of the same priority are all evaluated (Promise.all), and only
 *   whole priority groups short-circuit; this decides whether an operator that
 *   throws is reached, so we short-circuit only groups that cannot throw;
 * - a `path` on a fact that is not an object yields the fact value itself.
 */

import {
  RuleCompileError,
  RuleEvaluationError,
  type RuleCompileErrorCode,
  type RuleLocation,
} from './errors.js';
import type {
  CustomOperator,
  Facts,
  RuleEvent,
  RuleOutcome,
  RuleProperties,
  RuleSetOptions,
} from './rule-types.js';

export interface CompiledRuleSet {
  /** Number of rules, which is also the length of every result. */
  readonly size: number;
  /** One outcome per input rule, in input order. Throws RuleEvaluationError where json-rules-engine would reject. */
  evaluate(facts: Facts): RuleOutcome[];
  /**
   * Allocation-light variant: `result[i]` is 1 when rule i fired, else 0.
   * Pass `into` (length >= size) to reuse a buffer across calls.
   */
  evaluateFired(facts: Facts, into?: Uint8Array): Uint8Array;
}

/** Returns the raw value json-rules-engine would compute for a condition (not always a boolean). */
type Test = (facts: Facts) => unknown;
type Read = (facts: Facts) => unknown;
type OperatorFn = (factValue: unknown, jsonValue: unknown) => unknown;
type Decorator = (next: OperatorFn) => OperatorFn;
type Indexable = { indexOf(searchElement: unknown): number };

interface CompiledCondition {
  readonly test: Test;
  /** Whether evaluating this condition can throw; siblings of a throwing condition must not be skipped. */
  readonly mayThrow: boolean;
  readonly priority: number;
}

interface CompileContext {
  readonly operators: ReadonlyMap<string, OperatorEntry>;
  readonly ruleIndex: number;
  readonly ruleName: string | undefined;
}

interface OperatorEntry {
  readonly fn: OperatorFn;
  readonly custom: boolean;
}

// ---------------------------------------------------------------------------
// Operators, as engine-default-operators.js and its decorators define them.

/** json-rules-engine's numberValidator: `Number.parseFloat(v).toString() !== 'NaN'`. */
function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isNaN(value);
  return !Number.isNaN(Number.parseFloat(value as string));
}

const DEFAULT_OPERATORS: ReadonlyMap<string, OperatorFn> = new Map<string, OperatorFn>([
  ['equal', (a, b) => a === b],
  ['notEqual', (a, b) => a !== b],
  // No validator: a json value without indexOf throws, as in json-rules-engine.
  ['in', (a, b) => (b as Indexable).indexOf(a) > -1],
  ['notIn', (a, b) => (b as Indexable).indexOf(a) === -1],
  ['contains', (a, b) => Array.isArray(a) && a.indexOf(b) > -1],
  ['doesNotContain', (a, b) => Array.isArray(a) && a.indexOf(b) === -1],
  ['lessThan', (a, b) => isNumeric(a) && (a as number) < (b as number)],
  ['lessThanInclusive', (a, b) => isNumeric(a) && (a as number) <= (b as number)],
  ['greaterThan', (a, b) => isNumeric(a) && (a as number) > (b as number)],
  ['greaterThanInclusive', (a, b) => isNumeric(a) && (a as number) >= (b as number)],
]);

const DECORATORS: ReadonlyMap<string, Decorator> = new Map<string, Decorator>([
  ['someFact', (next) => (f, j) => Array.isArray(f) && f.some((fv) => next(fv, j))],
  ['someValue', (next) => (f, j) => (j as unknown[]).some((jv) => next(f, jv))],
  ['everyFact', (next) => (f, j) => Array.isArray(f) && f.every((fv) => next(fv, j))],
  ['everyValue', (next) => (f, j) => (j as unknown[]).every((jv) => next(f, jv))],
  ['swap', (next) => (f, j) => next(j, f)],
  ['not', (next) => (f, j) => !next(f, j)],
]);

interface ResolvedOperator {
  readonly fn: OperatorFn;
  readonly base: string;
  readonly custom: boolean;
  /** Outermost first. */
  readonly decorators: readonly string[];
}

/** The operators a condition may name, for the message about one it may not. */
function validOperators(operators: ReadonlyMap<string, OperatorEntry>): string {
  const decorators = [...DECORATORS.keys()].map((d) => `${d}:`).join(', ');
  return `expected one of: ${[...operators.keys()].join(', ')} (each may be prefixed with ${decorators}, e.g. "not:in")`;
}

/** Same lookup as json-rules-engine's OperatorMap.get: a known name wins, else peel `decorator:` prefixes. */
function resolveOperator(
  name: string,
  operators: ReadonlyMap<string, OperatorEntry>,
): ResolvedOperator | undefined {
  const decorators: string[] = [];
  let base = name;
  while (!operators.has(base)) {
    const colon = base.indexOf(':');
    if (colon <= 0) return undefined;
    const decorator = base.slice(0, colon);
    if (!DECORATORS.has(decorator)) return undefined;
    decorators.push(decorator);
    base = base.slice(colon + 1);
  }
  const entry = operators.get(base)!;
  let fn = entry.fn;
  for (let i = decorators.length - 1; i >= 0; i--) fn = DECORATORS.get(decorators[i]!)!(fn);
  return { fn, base, custom: entry.custom, decorators };
}

/** What is known about an operator argument: a literal's shape, or `unknown` for a fact value. */
type ArgKind = 'array' | 'string' | 'other' | 'unknown';

function kindOf(literal: unknown): ArgKind {
  if (Array.isArray(literal)) return 'array';
  return typeof literal === 'string' ? 'string' : 'other';
}

/**
 * Walks the decorator chain tracking what is known about each argument, to
 * find (a) whether the operator can throw and (b) literals that make it throw
 * on every evaluation, which we refuse at compile time.
 */
function analyseThrows(
  op: ResolvedOperator,
  valueKind: ArgKind,
): { mayThrow: boolean; alwaysThrows?: string } {
  let fact: ArgKind = 'unknown';
  let json = valueKind;
  let unconditional = true;
  let mayThrow = false;
  for (const decorator of op.decorators) {
    if (decorator === 'swap') {
      [fact, json] = [json, fact];
    } else if (decorator === 'someFact' || decorator === 'everyFact') {
      fact = 'unknown';
      unconditional = false;
    } else if (decorator === 'someValue' || decorator === 'everyValue') {
      if (json !== 'array') {
        if (unconditional && (json === 'string' || json === 'other')) {
          return { mayThrow: true, alwaysThrows: `"${decorator}" needs an array value` };
        }
        mayThrow = true;
      }
      json = 'unknown';
      unconditional = false;
    }
  }
  if (op.custom) return { mayThrow: true };
  if (op.base === 'in' || op.base === 'notIn') {
    if (json === 'other' && unconditional) {
      return { mayThrow: true, alwaysThrows: `"${op.base}" needs an array (or string) value` };
    }
    if (json !== 'array' && json !== 'string') mayThrow = true;
  }
  return { mayThrow };
}

// ---------------------------------------------------------------------------
// Fact access.

/**
 * json-rules-engine only sees facts the caller passed, so names inherited from
 * Object.prototype (`constructor`, `toString`...) must read as missing.
 */
function factReader(name: string): Read {
  if (name in Object.prototype) {
    return (facts) => (Object.hasOwn(facts, name) ? facts[name] : undefined);
  }
  return (facts) => facts[name];
}

const PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:0|[1-9][0-9]*)\])+$/;
const PATH_SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(0|[1-9][0-9]*)\]/g;

function parsePath(path: string): string[] | undefined {
  if (!PATH.test(path)) return undefined;
  return Array.from(path.matchAll(PATH_SEGMENT), (m) => m[1] ?? m[2]!);
}

/**
 * What jsonpath-plus returns for a plain dotted path with `wrap: false`: follow
 * own properties while the current value is truthy, else undefined. The
 * Almanac applies the path only to non-null objects and otherwise returns the
 * fact value unchanged.
 */
function withPath(read: Read, keys: readonly string[]): Read {
  return (facts) => {
    const root = read(facts);
    if (root === null || typeof root !== 'object') return root;
    let value: unknown = root;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (!value || !Object.hasOwn(value, key)) return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

// ---------------------------------------------------------------------------
// Compilation.

const RULE_KEYS = new Set(['name', 'priority', 'event', 'conditions']);
const EVENT_KEYS = new Set(['type', 'params']);
const LEAF_KEYS = new Set(['fact', 'operator', 'value', 'path', 'name', 'priority']);
const BOOLEAN_KEYS = ['all', 'any', 'not'] as const;
const FACT_REFERENCE_KEYS = new Set(['fact', 'path']);

type BooleanKey = (typeof BOOLEAN_KEYS)[number];

const BOOLEAN_NODE_KEYS: Readonly<Record<BooleanKey, ReadonlySet<string>>> = {
  all: new Set(['all', 'name', 'priority']),
  any: new Set(['any', 'name', 'priority']),
  not: new Set(['not', 'name', 'priority']),
};
type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fail(code: RuleCompileErrorCode, ctx: CompileContext, at: string, detail: string): never {
  const location: RuleLocation = { ruleIndex: ctx.ruleIndex, ruleName: ctx.ruleName, conditionPath: at };
  throw new RuleCompileError(code, location, detail);
}

function checkKeys(obj: Json, allowed: ReadonlySet<string>, ctx: CompileContext, at: string): void {
  for (const key of Object.keys(obj)) {
    if (allowed.has(key)) continue;
    if (key === 'params') fail('UNSUPPORTED_FACT_PARAMS', ctx, `${at}.params`, 'fact "params" are not supported');
    if (key === 'condition') {
      fail('UNSUPPORTED_CONDITION_REFERENCE', ctx, `${at}.condition`, 'shared condition references are not supported');
    }
    fail('UNKNOWN_KEY', ctx, `${at}.${key}`, `unknown key "${key}"`);
  }
}

/** Positive integer or absent (1); json-rules-engine would coerce other values in ways no designer means. */
function readPriority(obj: Json, ctx: CompileContext, at: string, code: RuleCompileErrorCode): number {
  const priority = obj['priority'];
  if (priority === undefined) return 1;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 1) {
    fail(code, ctx, at, `priority must be a positive integer, got ${JSON.stringify(priority)}`);
  }
  return priority;
}

function cloneLiteral(value: unknown, ctx: CompileContext, at: string): unknown {
  try {
    // json-rules-engine clones conditions on every run, so a rule literal is never identical to a fact.
    return structuredClone(value);
  } catch {
    return fail('INVALID_VALUE', ctx, at, 'value must be plain data');
  }
}

function compileRead(fact: unknown, path: unknown, ctx: CompileContext, at: string): Read {
  if (typeof fact !== 'string' || fact === '') {
    fail('INVALID_CONDITION', ctx, `${at}.fact`, 'fact must be a non-empty string');
  }
  const read = factReader(fact);
  if (path === undefined) return read;
  const keys = typeof path === 'string' ? parsePath(path) : undefined;
  if (keys === undefined) {
    fail(
      'UNSUPPORTED_PATH',
      ctx,
      `${at}.path`,
      `only plain dotted paths like "$.a.b" or "$.a[0]" are supported, got ${JSON.stringify(path)}`,
    );
  }
  return withPath(read, keys);
}

type CompiledValue =
  | { readonly kind: 'literal'; readonly literal: unknown }
  | { readonly kind: 'fact'; readonly read: Read };

function compileValue(value: unknown, ctx: CompileContext, at: string): CompiledValue {
  // Almanac.getValue: any non-null object with an own `fact` key is a fact reference.
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, 'fact')) {
    const reference = value as Json;
    checkKeys(reference, FACT_REFERENCE_KEYS, ctx, at);
    return { kind: 'fact', read: compileRead(reference['fact'], reference['path'], ctx, at) };
  }
  return { kind: 'literal', literal: cloneLiteral(value, ctx, at) };
}

/** Fast paths for the common shape: plain fact, literal value, undecorated default operator. */
function directTest(fact: string, base: string, literal: unknown): Test | undefined {
  if (fact in Object.prototype) return undefined;
  const lit = literal as number;
  switch (base) {
    case 'equal':
      return (f) => f[fact] === literal;
    case 'notEqual':
      return (f) => f[fact] !== literal;
    // For a number, isNumeric only rejects NaN, and NaN already fails every comparison.
    case 'lessThan':
      return (f) => {
        const a = f[fact];
        return typeof a === 'number' ? a < lit : isNumeric(a) && (a as number) < lit;
      };
    case 'lessThanInclusive':
      return (f) => {
        const a = f[fact];
        return typeof a === 'number' ? a <= lit : isNumeric(a) && (a as number) <= lit;
      };
    case 'greaterThan':
      return (f) => {
        const a = f[fact];
        return typeof a === 'number' ? a > lit : isNumeric(a) && (a as number) > lit;
      };
    case 'greaterThanInclusive':
      return (f) => {
        const a = f[fact];
        return typeof a === 'number' ? a >= lit : isNumeric(a) && (a as number) >= lit;
      };
    case 'contains':
      return (f) => {
        const a = f[fact];
        return Array.isArray(a) && a.indexOf(literal) > -1;
      };
    case 'doesNotContain':
      return (f) => {
        const a = f[fact];
        return Array.isArray(a) && a.indexOf(literal) === -1;
      };
    case 'in':
    case 'notIn': {
      if (!Array.isArray(literal) || literal.length < 8) {
        // The analysis only lets arrays and strings through here; both have indexOf.
        const list = literal as Indexable;
        return base === 'in' ? (f) => list.indexOf(f[fact]) > -1 : (f) => list.indexOf(f[fact]) === -1;
      }
      // indexOf uses ===, under which NaN is never found; Set.has would find it.
      const members = new Set<unknown>(literal);
      return base === 'in'
        ? (f) => {
            const a = f[fact];
            return a === a && members.has(a);
          }
        : (f) => {
            const a = f[fact];
            return !(a === a && members.has(a));
          };
    }
    default:
      return undefined;
  }
}

function compileLeaf(cond: Json, ctx: CompileContext, at: string): CompiledCondition {
  checkKeys(cond, LEAF_KEYS, ctx, at);
  if (!Object.hasOwn(cond, 'fact')) fail('INVALID_CONDITION', ctx, at, 'a condition needs "fact"');
  if (!Object.hasOwn(cond, 'operator')) fail('INVALID_CONDITION', ctx, at, 'a condition needs "operator"');
  if (!Object.hasOwn(cond, 'value')) fail('INVALID_CONDITION', ctx, at, 'a condition needs "value"');
  const priority = readPriority(cond, ctx, `${at}.priority`, 'INVALID_CONDITION');
  const read = compileRead(cond['fact'], cond['path'], ctx, at);
  const value = compileValue(cond['value'], ctx, `${at}.value`);

  const operatorName = cond['operator'];
  if (typeof operatorName !== 'string') {
    fail('INVALID_CONDITION', ctx, `${at}.operator`, 'operator must be a string');
  }
  const op = resolveOperator(operatorName, ctx.operators);
  if (op === undefined) fail('UNKNOWN_OPERATOR', ctx, `${at}.operator`, `unknown operator "${operatorName}"; ${validOperators(ctx.operators)}`);

  const { mayThrow, alwaysThrows } = analyseThrows(op, value.kind === 'literal' ? kindOf(value.literal) : 'unknown');
  if (alwaysThrows !== undefined) {
    fail('INVALID_VALUE', ctx, `${at}.value`, `${alwaysThrows}; json-rules-engine would throw on every evaluation`);
  }

  const fn = op.fn;
  let test: Test | undefined;
  if (value.kind === 'literal') {
    const literal = value.literal;
    if (cond['path'] === undefined && op.decorators.length === 0 && !op.custom) {
      test = directTest(cond['fact'] as string, op.base, literal);
    }
    test ??= (f) => fn(read(f), literal);
  } else {
    const readValue = value.read;
    test = (f) => fn(read(f), readValue(f));
  }

  if (mayThrow) {
    const unsafe = test;
    const location: RuleLocation = { ruleIndex: ctx.ruleIndex, ruleName: ctx.ruleName, conditionPath: at };
    test = (f) => {
      try {
        return unsafe(f);
      } catch (error) {
        throw new RuleEvaluationError(location, operatorName, error);
      }
    };
  }
  return { test, mayThrow, priority };
}

function booleanKeyOf(cond: Json, ctx: CompileContext, at: string): BooleanKey | undefined {
  const present = BOOLEAN_KEYS.filter((key) => Object.hasOwn(cond, key));
  if (present.length > 1) {
    fail('INVALID_CONDITION', ctx, at, `a condition may hold only one of all/any/not, found ${present.join(', ')}`);
  }
  return present[0];
}

const ALWAYS_TRUE: Test = () => true;

/** A group whose members are all evaluated (one of them may throw); json-rules-engine's Promise.all. */
function eagerGroup(key: 'all' | 'any', tests: readonly Test[]): (facts: Facts) => boolean {
  if (key === 'all') {
    return (f) => {
      let passed = true;
      for (let i = 0; i < tests.length; i++) if (tests[i]!(f) !== true) passed = false;
      return passed;
    };
  }
  return (f) => {
    let passed = false;
    for (let i = 0; i < tests.length; i++) if (tests[i]!(f) === true) passed = true;
    return passed;
  };
}

/** A group none of whose members can throw, so stopping early cannot change the outcome. */
function lazyGroup(key: 'all' | 'any', tests: readonly Test[]): (facts: Facts) => boolean {
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return key === 'all' ? (f) => a(f) === true && b(f) === true : (f) => a(f) === true || b(f) === true;
  }
  if (key === 'all') {
    return (f) => {
      for (let i = 0; i < tests.length; i++) if (tests[i]!(f) !== true) return false;
      return true;
    };
  }
  return (f) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(f) === true) return true;
    return false;
  };
}

/** Rule.prioritizeAndRun for all/any: raw result for one child, else priority groups, highest first. */
function combine(key: 'all' | 'any', children: readonly CompiledCondition[]): Test {
  if (children.length === 0) return ALWAYS_TRUE;
  if (children.length === 1) return children[0]!.test;
  const priorities = [...new Set(children.map((c) => c.priority))].sort((a, b) => b - a);
  const groups = priorities.map((priority) => {
    const members = children.filter((c) => c.priority === priority);
    const tests = members.map((c) => c.test);
    return members.some((c) => c.mayThrow) ? eagerGroup(key, tests) : lazyGroup(key, tests);
  });
  if (groups.length === 1) return groups[0]!;
  if (key === 'all') {
    return (f) => {
      for (let i = 0; i < groups.length; i++) if (!groups[i]!(f)) return false;
      return true;
    };
  }
  return (f) => {
    for (let i = 0; i < groups.length; i++) if (groups[i]!(f)) return true;
    return false;
  };
}

/**
 * Compiles an all/any/not node. `body` is the raw result json-rules-engine
 * computes for the node's children; as a nested condition that result is then
 * compared `=== true`, while at the root of a rule only its truthiness counts.
 */
function compileBoolean(
  cond: Json,
  key: BooleanKey,
  ctx: CompileContext,
  at: string,
): { body: Test; mayThrow: boolean; priority: number } {
  checkKeys(cond, BOOLEAN_NODE_KEYS[key], ctx, at);
  const priority = readPriority(cond, ctx, `${at}.priority`, 'INVALID_CONDITION');
  const inner = cond[key];
  if (key === 'not') {
    if (!isObject(inner)) fail('INVALID_CONDITION', ctx, `${at}.not`, '"not" must hold a single condition object');
    const child = compileCondition(inner, ctx, `${at}.not`);
    const childTest = child.test;
    return { body: (f) => !childTest(f), mayThrow: child.mayThrow, priority };
  }
  if (!Array.isArray(inner)) fail('INVALID_CONDITION', ctx, `${at}.${key}`, `"${key}" must be an array`);
  const children = inner.map((child: unknown, i) => {
    const childAt = `${at}.${key}[${i}]`;
    if (!isObject(child)) fail('INVALID_CONDITION', ctx, childAt, 'a condition must be an object');
    return compileCondition(child, ctx, childAt);
  });
  return { body: combine(key, children), mayThrow: children.some((c) => c.mayThrow), priority };
}

function compileCondition(cond: Json, ctx: CompileContext, at: string): CompiledCondition {
  const key = booleanKeyOf(cond, ctx, at);
  if (key === undefined) return compileLeaf(cond, ctx, at);
  const { body, mayThrow, priority } = compileBoolean(cond, key, ctx, at);
  const single = key !== 'not' && (cond[key] as unknown[]).length === 1;
  // Only a single-child all/any can pass a non-boolean through; everything else is already boolean.
  const test: Test = single ? (f) => body(f) === true : body;
  return { test, mayThrow, priority };
}

interface CompiledRule {
  readonly test: Test;
  readonly name: string | undefined;
  readonly priority: number;
  readonly event: RuleEvent;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function compileEvent(event: unknown, ctx: CompileContext): RuleEvent {
  if (!isObject(event)) fail('INVALID_RULE', ctx, 'event', 'event must be an object');
  checkKeys(event, EVENT_KEYS, ctx, 'event');
  if (typeof event['type'] !== 'string') fail('INVALID_RULE', ctx, 'event.type', 'event type must be a string');
  const params = event['params'];
  // Rule.setEvent keeps params only when truthy.
  if (params === undefined || params === null) return Object.freeze({ type: event['type'] });
  if (!isObject(params)) fail('INVALID_RULE', ctx, 'event.params', 'event params must be an object');
  const frozen = deepFreeze(cloneLiteral(params, ctx, 'event.params') as Record<string, unknown>);
  return Object.freeze({ type: event['type'], params: frozen });
}

function compileRule(rule: unknown, ruleIndex: number, operators: ReadonlyMap<string, OperatorEntry>): CompiledRule {
  const rawName = isObject(rule) ? rule['name'] : undefined;
  const ctx: CompileContext = {
    operators,
    ruleIndex,
    ruleName: typeof rawName === 'string' ? rawName : undefined,
  };
  if (!isObject(rule)) fail('INVALID_RULE', ctx, '', 'a rule must be an object');
  for (const key of Object.keys(rule)) {
    if (key === 'onSuccess' || key === 'onFailure') {
      fail('UNSUPPORTED_CALLBACK', ctx, key, `"${key}" callbacks are not supported; read the outcomes instead`);
    }
    if (!RULE_KEYS.has(key)) fail('UNKNOWN_KEY', ctx, key, `unknown key "${key}"`);
  }
  if (rawName !== undefined && typeof rawName !== 'string') {
    fail('INVALID_RULE', ctx, 'name', 'name must be a string');
  }
  const priority = readPriority(rule, ctx, 'priority', 'INVALID_RULE');
  if (!Object.hasOwn(rule, 'event')) fail('INVALID_RULE', ctx, 'event', 'a rule needs an "event"');
  const event = compileEvent(rule['event'], ctx);

  const conditions = rule['conditions'];
  if (!isObject(conditions)) fail('INVALID_RULE', ctx, 'conditions', 'conditions must be an object');
  if (Object.hasOwn(conditions, 'condition') && booleanKeyOf(conditions, ctx, 'conditions') === undefined) {
    fail('UNSUPPORTED_CONDITION_REFERENCE', ctx, 'conditions.condition', 'shared condition references are not supported');
  }
  const key = booleanKeyOf(conditions, ctx, 'conditions');
  if (key === undefined) {
    fail('INVALID_CONDITION', ctx, 'conditions', 'the root condition must be "all", "any" or "not"');
  }
  const { body } = compileBoolean(conditions, key, ctx, 'conditions');
  return { test: body, name: rawName, priority, event };
}

function operatorTable(options: RuleSetOptions | undefined): ReadonlyMap<string, OperatorEntry> {
  const table = new Map<string, OperatorEntry>();
  for (const [name, fn] of DEFAULT_OPERATORS) table.set(name, { fn, custom: false });
  for (const [name, fn] of Object.entries(options?.operators ?? {})) {
    if (typeof fn !== 'function' || name === '') {
      const location: RuleLocation = { ruleIndex: -1, ruleName: undefined, conditionPath: `operators.${name}` };
      throw new RuleCompileError('INVALID_OPERATOR', location, 'a custom operator needs a name and a function');
    }
    // Registered without a validator, so json-rules-engine calls it with any fact value.
    table.set(name, { fn: fn as CustomOperator, custom: true });
  }
  return table;
}

/**
 * Compiles rules for synchronous evaluation with the semantics of
 * `new Engine(rules, { allowUndefinedFacts: true })` plus `engine.addOperator`
 * for each custom operator. Throws RuleCompileError for anything it does not
 * reproduce exactly.
 */
export function compileRuleSet(rules: readonly RuleProperties[], options?: RuleSetOptions): CompiledRuleSet {
  const operators = operatorTable(options);
  const compiled = rules.map((rule, index) => compileRule(rule, index, operators));
  const size = compiled.length;
  const tests = compiled.map((rule) => rule.test);

  return {
    size,
    evaluate(facts: Facts): RuleOutcome[] {
      const outcomes = new Array<RuleOutcome>(size);
      for (let i = 0; i < size; i++) {
        const rule = compiled[i]!;
        outcomes[i] = {
          index: i,
          name: rule.name,
          priority: rule.priority,
          fired: Boolean(tests[i]!(facts)),
          event: rule.event,
        };
      }
      return outcomes;
    },
    evaluateFired(facts: Facts, into?: Uint8Array): Uint8Array {
      if (into !== undefined && into.length < size) {
        throw new RangeError(`evaluateFired needs a buffer of at least ${size} entries, got ${into.length}`);
      }
      const fired = into ?? new Uint8Array(size);
      for (let i = 0; i < size; i++) fired[i] = tests[i]!(facts) ? 1 : 0;
      return fired;
    },
  };
}

/**
 * Fact names a rule reads, from conditions and from fact-valued `value`s, so a
 * caller can report rules that depend on profile fields it does not have.
 */
export function referencedFacts(rule: RuleProperties): ReadonlySet<string> {
  const names = new Set<string>();
  const visit = (cond: unknown): void => {
    if (!isObject(cond)) return;
    for (const key of ['all', 'any'] as const) {
      const children = cond[key];
      if (Array.isArray(children)) children.forEach(visit);
    }
    if (cond['not'] !== undefined) visit(cond['not']);
    if (typeof cond['fact'] === 'string') names.add(cond['fact']);
    const value = cond['value'];
    if (isObject(value) && typeof value['fact'] === 'string') names.add(value['fact']);
  };
  visit((rule as unknown as Json)?.['conditions']);
  return names;
}
