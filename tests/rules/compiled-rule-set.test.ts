import { inspect, isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { compileRuleSet, referencedFacts } from '../../src/core/rules/compiled-rule-set.js';
import { RuleCompileError, RuleEvaluationError, type RuleCompileErrorCode } from '../../src/core/rules/errors.js';
import { createReferenceRuleSet } from '../../src/core/rules/reference-rule-set.js';
import type { CustomOperator, Facts, RuleOutcome, RuleProperties, RuleSetOptions } from '../../src/core/rules/rule-types.js';
import { mulberry32, type Random } from '../helpers/random.js';

type Condition = Record<string, unknown>;

const when = (fact: string, operator: string, value: unknown, extra: Condition = {}): Condition => ({
  fact,
  operator,
  value,
  ...extra,
});

const rule = (conditions: Condition, extra: Record<string, unknown> = {}): RuleProperties =>
  ({ conditions, event: { type: 'matched' }, ...extra }) as RuleProperties;

const show = (value: unknown): string => inspect(value, { depth: null, breakLength: Infinity });

/**
 * Decides one rule with both evaluators and fails unless they agree, so every
 * hand-written expectation below is also a check against json-rules-engine.
 */
async function decide(conditions: Condition, facts: Facts, options?: RuleSetOptions): Promise<boolean> {
  const rules = [rule(conditions)];
  const expected = await createReferenceRuleSet(rules, options).evaluate(facts);
  const actual = compileRuleSet(rules, options).evaluate(facts);
  expect(actual).toStrictEqual(expected);
  return actual[0]!.fired;
}

/** Asserts that both evaluators fail on these facts: json-rules-engine rejects, the compiled set throws. */
async function expectBothToFail(conditions: Condition, facts: Facts, options?: RuleSetOptions): Promise<void> {
  const rules = [rule(conditions)];
  await expect(createReferenceRuleSet(rules, options).evaluate(facts)).rejects.toThrow();
  expect(() => compileRuleSet(rules, options).evaluate(facts)).toThrow(RuleEvaluationError);
}

describe('default operators decide as json-rules-engine does', () => {
  it('equal and notEqual compare strictly, so the string "5" is not the number 5', async () => {
    expect(await decide({ all: [when('tier', 'equal', 'gold')] }, { tier: 'gold' })).toBe(true);
    expect(await decide({ all: [when('tenure', 'equal', 5)] }, { tenure: '5' })).toBe(false);
    expect(await decide({ all: [when('tenure', 'notEqual', 5)] }, { tenure: '5' })).toBe(true);
    expect(await decide({ all: [when('note', 'equal', null)] }, { note: null })).toBe(true);
  });

  it('a literal object or array never equals a fact, because the engine clones rule values', async () => {
    expect(await decide({ all: [when('plan', 'equal', { name: 'gold' })] }, { plan: { name: 'gold' } })).toBe(false);
    expect(await decide({ all: [when('tags', 'equal', ['vip'])] }, { tags: ['vip'] })).toBe(false);
  });

  it('in and notIn look the fact up in a list value', async () => {
    expect(await decide({ all: [when('tier', 'in', ['gold', 'platinum'])] }, { tier: 'gold' })).toBe(true);
    expect(await decide({ all: [when('tier', 'in', ['gold', 'platinum'])] }, { tier: 'silver' })).toBe(false);
    expect(await decide({ all: [when('tier', 'notIn', ['gold', 'platinum'])] }, {})).toBe(true);
    expect(await decide({ all: [when('postcode', 'in', [5])] }, { postcode: '5' })).toBe(false);
  });

  it('long lists give the same answers, including for NaN, which === never finds', async () => {
    const areas = Array.from({ length: 40 }, (_, i) => i * 3);
    expect(await decide({ all: [when('area', 'in', areas)] }, { area: 27 })).toBe(true);
    expect(await decide({ all: [when('area', 'in', areas)] }, { area: 28 })).toBe(false);
    expect(await decide({ all: [when('area', 'in', areas)] }, { area: Number.NaN })).toBe(false);
    expect(await decide({ all: [when('area', 'notIn', areas)] }, { area: Number.NaN })).toBe(true);
    expect(await decide({ all: [when('area', 'notIn', areas)] }, { area: '27' })).toBe(true);
  });

  it('in with a string value is a substring test, so a missing fact matches the text "undefined"', async () => {
    expect(await decide({ all: [when('code', 'in', 'ABCDEF')] }, { code: 'CD' })).toBe(true);
    expect(await decide({ all: [when('code', 'in', 'ABCDEF')] }, { code: 'XY' })).toBe(false);
    expect(await decide({ all: [when('code', 'in', 'undefined')] }, {})).toBe(true);
  });

  it('contains and doesNotContain only accept array facts: on a string both are false', async () => {
    expect(await decide({ all: [when('tags', 'contains', 'vip')] }, { tags: ['new', 'vip'] })).toBe(true);
    expect(await decide({ all: [when('tags', 'doesNotContain', 'vip')] }, { tags: ['new'] })).toBe(true);
    expect(await decide({ all: [when('tags', 'contains', 'vip')] }, { tags: 'vip' })).toBe(false);
    expect(await decide({ all: [when('tags', 'doesNotContain', 'vip')] }, { tags: 'new' })).toBe(false);
    expect(await decide({ all: [when('tags', 'doesNotContain', 'vip')] }, {})).toBe(false);
  });

  it('numeric operators accept whatever parseFloat can read, then compare with plain JavaScript <', async () => {
    const over3 = { all: [when('balance', 'greaterThan', 3)] };
    expect(await decide(over3, { balance: 5 })).toBe(true);
    expect(await decide(over3, { balance: '5' })).toBe(true);
    expect(await decide(over3, { balance: [5] })).toBe(true);
    expect(await decide(over3, { balance: '5abc' })).toBe(false);
    expect(await decide(over3, { balance: 'abc' })).toBe(false);
    expect(await decide(over3, { balance: '' })).toBe(false);
    expect(await decide(over3, { balance: true })).toBe(false);
    expect(await decide(over3, { balance: null })).toBe(false);
    expect(await decide(over3, {})).toBe(false);
    expect(await decide(over3, { balance: Number.NaN })).toBe(false);
    expect(await decide(over3, { balance: 'Infinity' })).toBe(true);
  });

  it('a numeric string compared with a string value is compared as text', async () => {
    expect(await decide({ all: [when('balance', 'lessThan', '9')] }, { balance: '10' })).toBe(true);
    expect(await decide({ all: [when('balance', 'lessThan', 9)] }, { balance: '10' })).toBe(false);
  });

  it('the inclusive variants include the boundary', async () => {
    expect(await decide({ all: [when('age', 'lessThanInclusive', 18)] }, { age: 18 })).toBe(true);
    expect(await decide({ all: [when('age', 'lessThan', 18)] }, { age: 18 })).toBe(false);
    expect(await decide({ all: [when('age', 'greaterThanInclusive', 18)] }, { age: 18 })).toBe(true);
    expect(await decide({ all: [when('age', 'greaterThan', 18)] }, { age: 18 })).toBe(false);
  });
});

describe('missing, undefined and null facts', () => {
  it('a missing fact and a fact set to undefined behave the same', async () => {
    const isUndefined = { all: [when('tier', 'equal', undefined)] };
    expect(await decide(isUndefined, {})).toBe(true);
    expect(await decide(isUndefined, { tier: undefined })).toBe(true);
    expect(await decide(isUndefined, { tier: null })).toBe(false);
  });

  it('a fact named like an Object.prototype member is missing unless the caller passed it', async () => {
    expect(await decide({ all: [when('constructor', 'equal', undefined)] }, {})).toBe(true);
    expect(await decide({ all: [when('toString', 'equal', 'x')] }, { toString: 'x' })).toBe(true);
  });

  it('null is not a number and is not a list', async () => {
    expect(await decide({ all: [when('age', 'lessThan', 1)] }, { age: null })).toBe(false);
    expect(await decide({ all: [when('tags', 'contains', null)] }, { tags: null })).toBe(false);
    expect(await decide({ all: [when('tags', 'in', [null])] }, { tags: null })).toBe(true);
  });
});

describe('all, any and not', () => {
  const gold = when('tier', 'equal', 'gold');
  const roaming = when('roaming', 'equal', true);
  const longTenure = when('tenure', 'greaterThan', 24);

  it('nest to any depth', async () => {
    const conditions = { any: [{ all: [gold, { not: roaming }] }, { all: [longTenure, { any: [roaming] }] }] };
    expect(await decide(conditions, { tier: 'gold', roaming: false })).toBe(true);
    expect(await decide(conditions, { tier: 'gold', roaming: true })).toBe(false);
    expect(await decide(conditions, { tier: 'gold', roaming: true, tenure: 30 })).toBe(true);
    expect(await decide({ not: { any: [gold, roaming] } }, { tier: 'silver' })).toBe(true);
  });

  it('an empty all passes, and so does an empty any (json-rules-engine 7 treats both as true)', async () => {
    expect(await decide({ all: [] }, {})).toBe(true);
    expect(await decide({ any: [] }, {})).toBe(true);
    expect(await decide({ all: [gold, { any: [] }] }, { tier: 'gold' })).toBe(true);
    expect(await decide({ not: { any: [] } }, {})).toBe(false);
  });

  it('condition priorities change the order of evaluation, not the decision', async () => {
    const conditions = { all: [{ ...gold, priority: 1 }, { ...longTenure, priority: 5 }, { any: [roaming], priority: 3 }] };
    expect(await decide(conditions, { tier: 'gold', tenure: 30, roaming: true })).toBe(true);
    expect(await decide(conditions, { tier: 'gold', tenure: 3, roaming: true })).toBe(false);
  });
});

describe('operator decorators', () => {
  it('someFact and everyFact test the elements of an array fact, and are false for anything else', async () => {
    expect(await decide({ all: [when('tags', 'someFact:equal', 'vip')] }, { tags: ['new', 'vip'] })).toBe(true);
    expect(await decide({ all: [when('scores', 'everyFact:greaterThan', 5)] }, { scores: [6, 9] })).toBe(true);
    expect(await decide({ all: [when('scores', 'everyFact:greaterThan', 5)] }, { scores: [6, 2] })).toBe(false);
    expect(await decide({ all: [when('scores', 'everyFact:greaterThan', 5)] }, { scores: [] })).toBe(true);
    expect(await decide({ all: [when('tags', 'someFact:equal', 'vip')] }, { tags: 'vip' })).toBe(false);
  });

  it('someValue and everyValue test the fact against each element of the value', async () => {
    expect(await decide({ all: [when('tier', 'someValue:equal', ['gold', 'vip'])] }, { tier: 'vip' })).toBe(true);
    expect(await decide({ all: [when('age', 'everyValue:greaterThan', [18, 21])] }, { age: 20 })).toBe(false);
  });

  it('swap exchanges the fact and the value, and not negates', async () => {
    expect(await decide({ all: [when('tier', 'swap:contains', ['gold', 'vip'])] }, { tier: 'gold' })).toBe(true);
    expect(await decide({ all: [when('tier', 'not:in', ['gold'])] }, { tier: 'silver' })).toBe(true);
    expect(await decide({ all: [when('age', 'not:lessThan', 18)] }, { age: 'unknown' })).toBe(true);
  });

  it('decorators stack, outermost first', async () => {
    const noVip = { all: [when('tags', 'not:someFact:equal', 'vip')] };
    expect(await decide(noVip, { tags: ['new'] })).toBe(true);
    expect(await decide(noVip, { tags: ['vip'] })).toBe(false);
    const anyListed = { all: [when('lines', 'someFact:someValue:equal', ['07700', '07711'])] };
    expect(await decide(anyListed, { lines: ['01234', '07711'] })).toBe(true);
  });

  it('decorate custom operators too', async () => {
    const operators = { startsWith: ((a, b) => typeof a === 'string' && a.startsWith(String(b))) as CustomOperator };
    expect(await decide({ all: [when('lines', 'someFact:startsWith', '077')] }, { lines: ['0161', '07700'] }, { operators })).toBe(true);
  });
});

describe('comparing a fact with another fact', () => {
  it('a value of { fact } reads the other fact, optionally through a path', async () => {
    const overLimit = { all: [when('usage', 'greaterThan', { fact: 'limit' })] };
    expect(await decide(overLimit, { usage: 12, limit: 10 })).toBe(true);
    expect(await decide(overLimit, { usage: 8, limit: 10 })).toBe(false);
    expect(await decide(overLimit, { usage: 8 })).toBe(false);
    const overPlan = { all: [when('usage', 'greaterThan', { fact: 'plan', path: '$.allowance.data' })] };
    expect(await decide(overPlan, { usage: 12, plan: { allowance: { data: 10 } } })).toBe(true);
  });

  it('two facts holding the same object are equal', async () => {
    const shared = { id: 1 };
    expect(await decide({ all: [when('a', 'equal', { fact: 'b' })] }, { a: shared, b: shared })).toBe(true);
  });
});

describe('paths into object facts', () => {
  const profile = { plan: { name: 'gold', lines: [{ msisdn: '07700', data: 0 }] }, count: 0, tags: ['vip'] };

  it('follow object keys and array indexes', async () => {
    expect(await decide({ all: [when('profile', 'equal', 'gold', { path: '$.plan.name' })] }, { profile })).toBe(true);
    expect(await decide({ all: [when('profile', 'equal', '07700', { path: '$.plan.lines[0].msisdn' })] }, { profile })).toBe(true);
    expect(await decide({ all: [when('profile', 'equal', 1, { path: '$.tags.length' })] }, { profile })).toBe(true);
  });

  it('a missing step, or a step through a falsy value, yields undefined', async () => {
    expect(await decide({ all: [when('profile', 'equal', undefined, { path: '$.plan.lines[3].data' })] }, { profile })).toBe(true);
    expect(await decide({ all: [when('profile', 'equal', undefined, { path: '$.count.x' })] }, { profile })).toBe(true);
    expect(await decide({ all: [when('profile', 'equal', 5, { path: '$.name.length' })] }, { profile: { name: 'Alice' } })).toBe(true);
    expect(await decide({ all: [when('profile', 'equal', undefined, { path: '$.name.length' })] }, { profile: { name: '' } })).toBe(true);
    expect(await decide({ all: [when('profile', 'equal', undefined, { path: '$.plan.constructor' })] }, { profile })).toBe(true);
  });

  it('a path on a fact that is not an object yields the fact itself', async () => {
    expect(await decide({ all: [when('tier', 'equal', 'gold', { path: '$.name' })] }, { tier: 'gold' })).toBe(true);
    expect(await decide({ all: [when('tier', 'equal', undefined, { path: '$.name' })] }, {})).toBe(true);
  });
});

describe('custom operators', () => {
  it('are called with the fact value and the rule value', async () => {
    const operators = { within: ((a, b) => Math.abs(Number(a) - 10) <= Number(b)) as CustomOperator };
    expect(await decide({ all: [when('wait', 'within', 2)] }, { wait: 11 }, { operators })).toBe(true);
    expect(await decide({ all: [when('wait', 'within', 2)] }, { wait: 13 }, { operators })).toBe(false);
  });

  it('replace a default operator of the same name', async () => {
    const operators = { equal: ((a, b) => a == b) as CustomOperator }; // eslint-disable-line eqeqeq
    expect(await decide({ all: [when('tenure', 'equal', 5)] }, { tenure: '5' }, { operators })).toBe(true);
  });

  it('that return a truthy non-boolean fire a single-condition rule but do not pass an all of two', async () => {
    const operators = { echo: ((a: unknown) => a) as CustomOperator };
    expect(await decide({ all: [when('count', 'echo', null)] }, { count: 1 }, { operators })).toBe(true);
    expect(await decide({ all: [when('count', 'echo', null), when('count', 'echo', null)] }, { count: 1 }, { operators })).toBe(false);
    expect(await decide({ any: [{ all: [when('count', 'echo', null)] }] }, { count: 1 }, { operators })).toBe(false);
    expect(await decide({ not: when('count', 'echo', null) }, { count: 1 }, { operators })).toBe(false);
  });
});

describe('operators that throw fail the evaluation, exactly where json-rules-engine rejects', () => {
  const strict = {
    strictlyAbove: ((a, b) => {
      if (typeof a !== 'number') throw new TypeError('not a number');
      return a > Number(b);
    }) as CustomOperator,
  };

  it('a throwing custom operator fails the evaluation with the rule and condition named', async () => {
    await expectBothToFail({ all: [when('age', 'strictlyAbove', 3, { name: 'age check' })] }, { age: '5' }, { operators: strict });
    const compiled = compileRuleSet([rule({ all: [when('age', 'strictlyAbove', 3)] }, { name: 'adults' })], { operators: strict });
    expect(() => compiled.evaluate({ age: '5' })).toThrow(/rule #0 "adults", at conditions\.all\[0\]: operator "strictlyAbove" failed: not a number/);
  });

  it('in against a missing list fact throws', async () => {
    await expectBothToFail({ all: [when('tier', 'in', { fact: 'allowedTiers' })] }, { tier: 'gold' });
    expect(await decide({ all: [when('tier', 'in', { fact: 'allowedTiers' })] }, { tier: 'gold', allowedTiers: ['gold'] })).toBe(true);
  });

  it('a failing sibling of the same priority does not prevent the throw', async () => {
    const conditions = { all: [when('tier', 'equal', 'gold'), when('tier', 'in', { fact: 'allowedTiers' })] };
    await expectBothToFail(conditions, { tier: 'silver' });
  });

  it('a failing condition in a higher priority group does prevent it', async () => {
    const conditions = { all: [when('tier', 'equal', 'gold', { priority: 2 }), when('tier', 'in', { fact: 'allowedTiers' })] };
    expect(await decide(conditions, { tier: 'silver' })).toBe(false);
    await expectBothToFail(conditions, { tier: 'gold' });
  });
});

describe('outcomes', () => {
  const rules: RuleProperties[] = [
    rule({ all: [when('tier', 'equal', 'gold')] }, { name: 'vip', priority: 10, event: { type: 'route', params: { queue: 'vip' } } }),
    rule({ any: [when('roaming', 'equal', true)] }, { event: { type: 'tag', params: { tag: 'roaming' } } }),
    rule({ not: when('tier', 'equal', 'gold') }, { name: 'vip' }),
    rule({ all: [] }, { name: 'always', priority: 3, event: { type: 'sms', params: null } }),
  ];

  it('come in input order, with name, priority and event, whatever the names and priorities', async () => {
    const facts = { tier: 'gold', roaming: false };
    const expected = await createReferenceRuleSet(rules).evaluate(facts);
    const actual = compileRuleSet(rules).evaluate(facts);
    expect(actual).toStrictEqual(expected);
    expect(actual).toEqual([
      { index: 0, name: 'vip', priority: 10, fired: true, event: { type: 'route', params: { queue: 'vip' } } },
      { index: 1, name: undefined, priority: 1, fired: false, event: { type: 'tag', params: { tag: 'roaming' } } },
      { index: 2, name: 'vip', priority: 1, fired: false, event: { type: 'matched' } },
      { index: 3, name: 'always', priority: 3, fired: true, event: { type: 'sms' } },
    ]);
  });

  it('evaluateFired gives the same decisions as a byte per rule, optionally into a reused buffer', () => {
    const compiled = compileRuleSet(rules);
    expect([...compiled.evaluateFired({ tier: 'silver', roaming: true })]).toEqual([0, 1, 1, 1]);
    const buffer = new Uint8Array(compiled.size);
    expect(compiled.evaluateFired({ tier: 'gold' }, buffer)).toBe(buffer);
    expect([...buffer]).toEqual([1, 0, 0, 1]);
    expect(() => compiled.evaluateFired({}, new Uint8Array(2))).toThrow(RangeError);
  });

  it('neither evaluator modifies the rules it was given', async () => {
    const input = [rule({ all: [when('tier', 'equal', 'gold', { priority: 2 }), { any: [], priority: 3 }] }, { name: 'vip' })];
    const before = structuredClone(input);
    compileRuleSet(input).evaluate({ tier: 'gold' });
    await createReferenceRuleSet(input).evaluate({ tier: 'gold' });
    expect(input).toStrictEqual(before);
  });

  it('event params cannot be changed through an outcome', () => {
    const [outcome] = compileRuleSet(rules).evaluate({ tier: 'gold' });
    expect(() => {
      (outcome!.event.params as Record<string, unknown>)['queue'] = 'standard';
    }).toThrow(TypeError);
  });

  it('overlapping reference evaluations each see every rule', async () => {
    // json-rules-engine keeps run status on the engine; a run that short-circuits early would otherwise end the other.
    const deep = { all: [5, 4, 3, 2].map((priority) => when('x', 'equal', 1, { priority })) };
    const reference = createReferenceRuleSet([
      rule(deep, { priority: 2 }),
      rule({ all: [when('x', 'equal', 1)] }, { priority: 1 }),
    ]);
    const [early, late] = await Promise.all([reference.evaluate({ x: 2 }), reference.evaluate({ x: 1 })]);
    expect(early!.map((o) => o.fired)).toEqual([false, false]);
    expect(late!.map((o) => o.fired)).toEqual([true, true]);
  });
});

describe('referencedFacts', () => {
  it('lists every fact a rule reads, in conditions and in fact-valued values', () => {
    const conditions = {
      any: [
        when('tier', 'equal', 'gold'),
        { not: when('usage', 'greaterThan', { fact: 'plan', path: '$.allowance' }) },
        { all: [when('tags', 'contains', 'vip', { path: '$[0]' })] },
      ],
    };
    expect(referencedFacts(rule(conditions))).toEqual(new Set(['tier', 'usage', 'plan', 'tags']));
  });
});

describe('compileRuleSet refuses what it does not reproduce exactly', () => {
  const cases: Array<[string, unknown, RuleCompileErrorCode]> = [
    ['a shared condition reference at the root', { conditions: { condition: 'isVip' }, event: { type: 'x' } }, 'UNSUPPORTED_CONDITION_REFERENCE'],
    ['a nested shared condition reference', rule({ all: [{ condition: 'isVip' }] }), 'UNSUPPORTED_CONDITION_REFERENCE'],
    ['fact params', rule({ all: [when('usage', 'greaterThan', 3, { params: { window: 30 } })] }), 'UNSUPPORTED_FACT_PARAMS'],
    ['fact params in a fact-valued value', rule({ all: [when('usage', 'greaterThan', { fact: 'limit', params: {} })] }), 'UNSUPPORTED_FACT_PARAMS'],
    ['a recursive-descent path', rule({ all: [when('profile', 'equal', 1, { path: '$..data' })] }), 'UNSUPPORTED_PATH'],
    ['a wildcard path', rule({ all: [when('profile', 'equal', 1, { path: '$.lines[*]' })] }), 'UNSUPPORTED_PATH'],
    ['a bracketed key', rule({ all: [when('profile', 'equal', 1, { path: "$['plan']" })] }), 'UNSUPPORTED_PATH'],
    ['a filter', rule({ all: [when('profile', 'equal', 1, { path: '$.lines[?(@.data>1)]' })] }), 'UNSUPPORTED_PATH'],
    ['a path without the root', rule({ all: [when('profile', 'equal', 1, { path: 'plan.name' })] }), 'UNSUPPORTED_PATH'],
    ['the bare root path', rule({ all: [when('profile', 'equal', 1, { path: '$' })] }), 'UNSUPPORTED_PATH'],
    ['a negative index', rule({ all: [when('profile', 'equal', 1, { path: '$.lines[-1]' })] }), 'UNSUPPORTED_PATH'],
    ['an unsupported path on a fact-valued value', rule({ all: [when('a', 'equal', { fact: 'b', path: '$.*' })] }), 'UNSUPPORTED_PATH'],
    ['an unknown operator', rule({ all: [when('tier', 'equals', 'gold')] }), 'UNKNOWN_OPERATOR'],
    ['an unknown decorator', rule({ all: [when('tier', 'maybe:equal', 'gold')] }), 'UNKNOWN_OPERATOR'],
    ['onSuccess callbacks', { ...rule({ all: [] }), onSuccess: () => undefined }, 'UNSUPPORTED_CALLBACK'],
    ['a misspelt key', rule({ all: [when('profile', 'equal', 1, { paht: '$.plan' })] }), 'UNKNOWN_KEY'],
    ['an unknown rule key', { ...rule({ all: [] }), priorty: 2 }, 'UNKNOWN_KEY'],
    ['in with a number, which always throws', rule({ all: [when('tier', 'in', 5)] }), 'INVALID_VALUE'],
    ['someValue with a string, which always throws', rule({ all: [when('tier', 'not:someValue:equal', 'gold')] }), 'INVALID_VALUE'],
    ['an all that is not an array', rule({ all: when('tier', 'equal', 'gold') }), 'INVALID_CONDITION'],
    ['a not holding an array', rule({ not: [when('tier', 'equal', 'gold')] }), 'INVALID_CONDITION'],
    ['both all and any on one node', rule({ all: [], any: [] }), 'INVALID_CONDITION'],
    ['a leaf at the root', rule(when('tier', 'equal', 'gold')), 'INVALID_CONDITION'],
    ['a condition without a value', rule({ all: [{ fact: 'tier', operator: 'equal' }] }), 'INVALID_CONDITION'],
    ['a non-integer condition priority', rule({ all: [when('tier', 'equal', 'gold', { priority: '2' })] }), 'INVALID_CONDITION'],
    ['a rule priority of zero', rule({ all: [] }, { priority: 0 }), 'INVALID_RULE'],
    ['a rule without an event', { conditions: { all: [] } }, 'INVALID_RULE'],
    ['an event without a type', rule({ all: [] }, { event: { params: {} } }), 'INVALID_RULE'],
  ];

  it.each(cases)('%s', (_description, input, code) => {
    const attempt = () => compileRuleSet([input as RuleProperties]);
    expect(attempt).toThrow(RuleCompileError);
    expect(attempt).toThrow(expect.objectContaining({ code }));
  });

  it('says which rule and which condition, so a designer can fix the file', () => {
    const rules = [rule({ all: [] }), rule({ any: [{ all: [when('profile', 'equal', 1, { path: '$..data' })] }] }, { name: 'heavy users' })];
    expect(() => compileRuleSet(rules)).toThrow(
      'rule #1 "heavy users", at conditions.any[0].all[0].path: only plain dotted paths like "$.a.b" or "$.a[0]" are supported, got "$..data"',
    );
  });

  it('refuses a custom operator that is not a function', () => {
    const operators = { odd: 'x' } as unknown as Record<string, CustomOperator>;
    expect(() => compileRuleSet([], { operators })).toThrow(expect.objectContaining({ code: 'INVALID_OPERATOR' }));
  });
});

// ---------------------------------------------------------------------------
// Property-style equivalence: random rules and random facts, decided both ways.

const FACT_NAMES = ['tier', 'age', 'balance', 'roaming', 'tags', 'scores', 'profile', 'note', 'constructor'] as const;
const KEYS = ['plan', 'lines', 'count', 'name', 'data', 'tags'] as const;
const SCALARS: readonly unknown[] = [
  0, 1, 5, 7, -3, 2.5, 100, Number.NaN, Number.POSITIVE_INFINITY,
  '5', '7', '10', '5abc', 'abc', '', ' 7', 'gold', 'silver', 'Infinity', 'undefined',
  true, false, null, undefined,
];
const DEFAULT_OPERATORS = ['equal', 'notEqual', 'in', 'notIn', 'contains', 'doesNotContain', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive'];
const NUMERIC = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

const SAFE_OPERATORS: Record<string, CustomOperator> = {
  startsWith: ((a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b)) as CustomOperator,
  // Returns the fact itself, to exercise how non-boolean results are read.
  echo: ((a: unknown) => a) as CustomOperator,
  lengthAtLeast: ((a, b) => a != null && (a as { length: number }).length >= (b as number)) as CustomOperator,
};
const THROWING_OPERATORS: Record<string, CustomOperator> = {
  ...SAFE_OPERATORS,
  strictlyAbove: ((a, b) => {
    if (typeof a !== 'number') throw new TypeError('not a number');
    return a > (b as number);
  }) as CustomOperator,
};

function randomValue(r: Random, depth = 0): unknown {
  const roll = r.next();
  if (depth >= 2 || roll < 0.6) return r.pick(SCALARS);
  if (roll < 0.8) return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (const key of KEYS) if (r.chance(0.5)) obj[key] = randomValue(r, depth + 1);
  return obj;
}

function randomFacts(r: Random): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const name of FACT_NAMES) {
    const roll = r.next();
    if (roll < 0.15) continue;
    facts[name] = roll < 0.2 ? undefined : randomValue(r);
  }
  return facts;
}

function randomPath(r: Random): string {
  let path = '$';
  for (let i = r.int(1, 3); i > 0; i--) path += r.chance(0.3) ? `[${r.int(0, 2)}]` : `.${r.pick(KEYS)}`;
  // Strings and arrays have an own `length`; an empty string must still stop the walk.
  return r.chance(0.2) ? `${path}.length` : path;
}

function randomList(r: Random): unknown[] {
  const length = r.chance(0.3) ? r.int(8, 14) : r.int(0, 4);
  return Array.from({ length }, () => r.pick(SCALARS));
}

/**
 * One leaf condition. With `mayThrow` false, only shapes that cannot throw are
 * generated, so hundreds of rules can share one engine run.
 */
function randomLeaf(r: Random, mayThrow: boolean): Condition {
  const custom = Object.keys(mayThrow ? THROWING_OPERATORS : SAFE_OPERATORS);
  const base = r.chance(0.2) ? r.pick(custom) : r.pick(DEFAULT_OPERATORS);
  const listBase = base === 'in' || base === 'notIn';
  const decorators: string[] = [];
  for (let n = r.chance(0.35) ? r.int(1, 2) : 0; n > 0; n--) {
    const options = ['not', 'someFact', 'everyFact'];
    if (mayThrow || !listBase) options.push('swap');
    const overValuesAlready = decorators.some((d) => d.endsWith('Value'));
    if (mayThrow || (!listBase && !overValuesAlready && !decorators.includes('swap'))) options.push('someValue', 'everyValue');
    const pick = r.pick(options);
    if (!mayThrow && pick === 'swap' && overValuesAlready) continue;
    decorators.push(pick);
  }
  const overValues = decorators.some((d) => d === 'someValue' || d === 'everyValue');

  let value: unknown;
  if ((mayThrow || (!listBase && !overValues)) && r.chance(0.2)) {
    value = r.chance(0.3) ? { fact: r.pick(FACT_NAMES), path: randomPath(r) } : { fact: r.pick(FACT_NAMES) };
  } else if (overValues) {
    value = mayThrow && r.chance(0.2) ? r.pick(SCALARS) : randomList(r);
  } else if (listBase) {
    value = r.chance(0.2) ? r.pick(['gold', 'undefined5', 'abc10']) : randomList(r);
  } else if (NUMERIC.has(base)) {
    value = r.pick([0, 1, 5, 7, 2.5, -3, '5', '10', 'abc', null]);
  } else {
    value = r.chance(0.8) ? r.pick(SCALARS) : randomValue(r, 1);
  }
  const leaf = when(r.pick(FACT_NAMES), [...decorators, base].join(':'), value);
  if (r.chance(0.35)) leaf['path'] = randomPath(r);
  if (r.chance(0.2)) leaf['priority'] = r.int(1, 3);
  return leaf;
}

function randomCondition(r: Random, mayThrow: boolean, depth: number): Condition {
  if (depth >= 3 || r.chance(0.55)) return randomLeaf(r, mayThrow);
  const node = randomBoolean(r, mayThrow, depth);
  if (r.chance(0.2)) node['priority'] = r.int(1, 3);
  return node;
}

function randomBoolean(r: Random, mayThrow: boolean, depth: number): Condition {
  const key = r.pick(['all', 'all', 'any', 'any', 'not']);
  if (key === 'not') return { not: randomCondition(r, mayThrow, depth + 1) };
  // Single children are common on purpose: they pass raw results through, which is where the engine is subtle.
  const length = r.pick([0, 1, 1, 2, 2, 3, 4]);
  return { [key]: Array.from({ length }, () => randomCondition(r, mayThrow, depth + 1)) };
}

function randomRule(r: Random, index: number, mayThrow: boolean): RuleProperties {
  const generated: Record<string, unknown> = {
    conditions: randomBoolean(r, mayThrow, 0),
    event: r.chance(0.5) ? { type: `event-${index}` } : { type: `event-${index}`, params: { index } },
  };
  if (r.chance(0.7)) generated['name'] = r.chance(0.2) ? 'duplicate' : `rule-${index}`;
  if (r.chance(0.3)) generated['priority'] = r.int(1, 4);
  return generated as unknown as RuleProperties;
}

function mismatch(ruleJson: unknown, facts: unknown, expected: unknown, actual: unknown): string {
  return `compiled and json-rules-engine disagree\nrule: ${show(ruleJson)}\nfacts: ${show(facts)}\njson-rules-engine: ${show(expected)}\ncompiled: ${show(actual)}`;
}

describe('the compiled rule set decides exactly as json-rules-engine', () => {
  // json-rules-engine manages about a hundred runs a second of 300 rules, so this takes a while.
  it('on 300 random rules over 2,000 random fact sets', { timeout: 120_000 }, async () => {
    const r = mulberry32(20240611);
    const rules = Array.from({ length: 300 }, (_, i) => randomRule(r, i, false));
    const options = { operators: SAFE_OPERATORS };
    const compiled = compileRuleSet(rules, options);
    const reference = createReferenceRuleSet(rules, options);
    const firedCount = new Array<number>(rules.length).fill(0);
    const factSets = 2000;

    let firstMismatch: string | undefined;
    for (let n = 0; n < factSets && firstMismatch === undefined; n++) {
      const facts = randomFacts(r);
      const expected = await reference.evaluate(facts);
      const actual = compiled.evaluate(facts);
      const fired = compiled.evaluateFired(facts);
      for (let i = 0; i < rules.length; i++) {
        if (!isDeepStrictEqual(actual[i], expected[i]) || fired[i] !== Number(expected[i]!.fired)) {
          firstMismatch = mismatch(rules[i], facts, expected[i], actual[i]);
          break;
        }
        if (expected[i]!.fired) firedCount[i]!++;
      }
    }
    expect(firstMismatch, firstMismatch).toBeUndefined();

    // Guard against a vacuous generator: most rules should both fire and not fire at some point.
    const decisive = firedCount.filter((count) => count > 0 && count < factSets).length;
    expect(decisive).toBeGreaterThan(rules.length / 3);
  });

  it('on 80 random rules that may throw, over 300 fact sets each, including where they throw', { timeout: 60_000 }, async () => {
    const r = mulberry32(7031);
    const options = { operators: THROWING_OPERATORS };
    const outcome = async (run: () => Promise<RuleOutcome[]> | RuleOutcome[]): Promise<unknown> => {
      try {
        return await run();
      } catch (error) {
        return error instanceof Error ? 'throws' : error;
      }
    };

    let throws = 0;
    let decisions = 0;
    let firstMismatch: string | undefined;
    for (let i = 0; i < 80 && firstMismatch === undefined; i++) {
      let generated = randomRule(r, i, true);
      let compiled;
      // A literal that would throw on every evaluation is refused at compile time; draw again.
      for (;;) {
        try {
          compiled = compileRuleSet([generated], options);
          break;
        } catch (error) {
          if (!(error instanceof RuleCompileError) || error.code !== 'INVALID_VALUE') throw error;
          generated = randomRule(r, i, true);
        }
      }
      const reference = createReferenceRuleSet([generated], options);
      for (let n = 0; n < 300; n++) {
        const facts = randomFacts(r);
        const expected = await outcome(() => reference.evaluate(facts));
        const actual = await outcome(() => compiled.evaluate(facts));
        if (!isDeepStrictEqual(actual, expected)) {
          firstMismatch = mismatch(generated, facts, expected, actual);
          break;
        }
        if (expected === 'throws') throws++;
        else decisions++;
      }
    }
    expect(firstMismatch, firstMismatch).toBeUndefined();
    expect(throws).toBeGreaterThan(100);
    expect(decisions).toBeGreaterThan(100);
  });
});
