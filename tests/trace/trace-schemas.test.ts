import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/config/config-error.js';
import { loadCallerBehaviour, checkCallerBehaviour } from '../../src/core/trace/caller-behaviour.js';
import { checkDayProfile, loadDayProfile } from '../../src/core/trace/day-profile.js';
import { TRACE_CSV_COLUMNS } from '../../src/core/trace/trace-csv.js';
import type { TraceLine } from '../../src/core/trace/trace-line.js';
import { checkAgainstTraceSchema, traceSchemaUrl, type TraceSchemaName } from '../../src/core/trace/trace-schemas.js';

const schemaOf = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
const linesOf = (file: string) =>
  readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);

/** Every field of TraceLine, checked by the compiler in both directions. */
const TRACE_LINE_FIELDS: Record<keyof TraceLine, true> = {
  callId: true, arrivalSec: true, arrivalTime: true, caller: true, profile: true, keys: true, talkSec: true,
  wrapSec: true, patienceSec: true, hangupInIvrSec: true, queue: true, priority: true, retryOf: true, language: true, observed: true,
};

describe('the trace-line schema', () => {
  const schema = schemaOf('trace-line');

  it('has exactly the fields of TraceLine, and CSV has a column for each', () => {
    expect(Object.keys(schema['properties'] as object).sort()).toEqual(Object.keys(TRACE_LINE_FIELDS).sort());
    expect([...TRACE_CSV_COLUMNS].sort()).toEqual(Object.keys(TRACE_LINE_FIELDS).sort());
  });

  it('describes every property, nested ones included', () => {
    const undescribed: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, boolean | { description?: string }> }).properties;
      // A `false` schema (a field forbidden in some case) cannot carry a description; its parent does.
      for (const [name, p] of Object.entries(props ?? {})) if (typeof p === 'object' && !p.description) undescribed.push(`${path}/${name}`);
      for (const [k, v] of Object.entries(node)) visit(v, `${path}/${k}`);
    };
    for (const name of ['trace-line', 'day-profile', 'caller-behaviour', 'queue-behaviour']) visit(schemaOf(name), name);
    expect(undescribed).toEqual([]);
  });

  it("keeps its profile in step with the customers file's", () => {
    const strip = (p: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([kk]) => kk !== 'description'))]));
    const ours = (schema['$defs'] as Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }>)['profile']!;
    const theirs = (schemaOf('customers')['$defs'] as Record<string, typeof ours>)['profile']!;
    expect(strip(ours.properties)).toEqual(strip(theirs.properties));
    expect(ours.required).toEqual(theirs.required);
  });

  it('accepts every line of the shipped traces', () => {
    for (const file of ['data/traces/golden.jsonl', 'data/traces/sample.jsonl']) {
      const bad = linesOf(file).flatMap((line, i) => checkAgainstTraceSchema('trace-line', line).map((p) => `${file}:${i + 1} ${p.field} ${p.message}`));
      expect(bad).toEqual([]);
    }
  });

  it.each([
    ['a minimal line', { callId: 'a', arrivalSec: 0, talkSec: 0 }],
    ['arrivalTime with an offset', { callId: 'a', arrivalTime: '2025-03-03T09:00:00.250+08:00', talkSec: 60 }],
    ['shorthand keys with spaces', { callId: 'a', arrivalSec: 0, talkSec: 1, keys: ' 2 @ 3.5 , 1 ' }],
    ['an ACD-level line', { callId: 'a', arrivalSec: 0, talkSec: 1, queue: 'vip', priority: 90, patienceSec: 30 }],
    ['free-form observations', { callId: 'a', arrivalSec: 0, talkSec: 1, observed: { outcome: 'hangup', agentId: 'A17' } }],
  ])('accepts %s', (_name, line) => {
    expect(checkAgainstTraceSchema('trace-line', line)).toEqual([]);
  });

  it.each([
    ['talkSec missing', { callId: 'a', arrivalSec: 0 }, '/talkSec', 'is required'],
    ['an empty callId', { callId: '', arrivalSec: 0, talkSec: 1 }, '/callId', 'must not be empty'],
    ['arrivalTime without an offset', { callId: 'a', arrivalTime: '2025-03-03T09:00:00', talkSec: 1 }, '/arrivalTime', 'with a UTC offset'],
    ['a key that is not DTMF', { callId: 'a', arrivalSec: 0, talkSec: 1, keys: [{ key: 'A' }] }, '/keys/0/key', 'must be one of'],
    ['a press with an unknown field', { callId: 'a', arrivalSec: 0, talkSec: 1, keys: [{ key: '1', at: 2 }] }, '/keys/0/at', 'is not a known field; expected one of: key, afterSec'],
    ['a negative priority', { callId: 'a', arrivalSec: 0, talkSec: 1, queue: 'vip', priority: -1 }, '/priority', 'must be >= 0'],
    ['a hang-up in the IVR on an ACD-level line', { callId: 'a', arrivalSec: 0, talkSec: 1, queue: 'vip', hangupInIvrSec: 3 }, '/hangupInIvrSec', 'is not allowed here'],
    ['an observed outcome that does not exist', { callId: 'a', arrivalSec: 0, talkSec: 1, observed: { outcome: 'lost' } }, '/observed/outcome', 'must be one of'],
  ])('refuses %s, saying where and what was expected', (_name, line, field, message) => {
    expect(checkAgainstTraceSchema('trace-line', line)).toContainEqual(expect.objectContaining({ field, message: expect.stringContaining(message) }));
  });
});

describe('the generator data files', () => {
  const issuesOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ConfigError) return err.issues.map((i) => `${i.path} ${i.message}`);
      throw err;
    }
    return [];
  };

  it('the shipped day profile and caller behaviour load, and survive a save and load', () => {
    for (const [name, load, check] of [
      ['day-profile', loadDayProfile, checkDayProfile],
      ['caller-behaviour', loadCallerBehaviour, checkCallerBehaviour],
    ] as const) {
      const file = new URL(`../../data/${name}.json`, import.meta.url).pathname;
      const doc = load(file);
      expect(check(JSON.parse(JSON.stringify(doc)) as unknown, file)).toEqual(doc);
    }
  });

  it.each([
    ['day-profile', { unit: 'callsPerHour', hours: [1, 2, 3] }, '/hours must NOT have fewer than 24 items'],
    ['day-profile', { unit: 'perMinute', hours: new Array(24).fill(1) }, '/unit must be one of "callsPerHour", "relative"'],
    ['day-profile', { unit: 'relative', hours: new Array(24).fill(0) }, '/hours every hour is 0'],
    ['caller-behaviour', { ...behaviour(), behaviours: [{ name: 'x', weight: 1, keys: ['1@2'] }] }, '/behaviours/0/keys/0 must match'],
    ['caller-behaviour', { ...behaviour(), behaviours: [{ name: 'x', weight: 1, keys: [{ oneOf: { '1': 0 } }] }] }, '/behaviours/0/keys/0/oneOf needs at least one choice'],
    ['caller-behaviour', { ...behaviour(), behaviours: [{ name: 'x', weight: 1, keys: [] }, { name: 'x', weight: 1, keys: [] }] }, '/behaviours/1/name behaviour "x" is already /behaviours/0'],
    ['caller-behaviour', { ...behaviour(), patience: { meanSec: 0, unlimitedShare: 2 } }, '/patience/unlimitedShare must be <= 1'],
  ] as [TraceSchemaName, object, string][])('%s: refuses a bad file with the path and what was expected (%#)', (name, doc, expected) => {
    const check = name === 'day-profile' ? checkDayProfile : checkCallerBehaviour;
    expect(issuesOf(() => check(doc, `${name}.json`)).join('\n')).toContain(expected);
  });

  it('finds the schemas next to the sources', () => {
    expect(traceSchemaUrl('trace-line').pathname).toMatch(/\/schemas\/trace-line\.schema\.json$/);
  });
});

function behaviour(): object {
  return {
    presses: { bargeInShare: 0, afterSec: { mean: 3, cv: 0.5 } },
    behaviours: [{ name: 'agent', weight: 1, keys: ['0'] }],
    talkSec: { mean: 200, cv: 1 },
    patience: { meanSec: 100, unlimitedShare: 0 },
    hangupInIvr: { share: 0, afterSec: { mean: 10, cv: 0.5 } },
  };
}
