import { assign, setup, type AnyStateMachine } from 'xstate';
import type { Facts } from '../profile/facts.js';
import type { FlowFile } from './flow-types.js';

export interface DiagnosisRecord {
  symptom?: string;
  outage?: boolean;
  steps: string[];
  result?: string;
}

/** What a call carries through its flow; `facts` are read-only inputs for guards. */
export interface FlowContext {
  facts: Facts;
  retries: Record<string, number>;
  intent: string | null;
  intents: string[];
  hotKey: string | null;
  escalation: string | null;
  diagnosis: DiagnosisRecord | null;
}

export interface FlowInput {
  facts: Facts;
}

export type FlowEvent = { type: string };

/** Comparison operators the `fact` guard understands. */
export const FACT_GUARD_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'truthy', 'falsy'] as const;
export type FactGuardOp = (typeof FACT_GUARD_OPS)[number];

export function compareFact(value: unknown, op: FactGuardOp, expected: unknown): boolean {
  switch (op) {
    case 'eq':
      return value === expected;
    case 'ne':
      return value !== undefined && value !== expected;
    case 'gt':
      return typeof value === 'number' && value > (expected as number);
    case 'gte':
      return typeof value === 'number' && value >= (expected as number);
    case 'lt':
      return typeof value === 'number' && value < (expected as number);
    case 'lte':
      return typeof value === 'number' && value <= (expected as number);
    case 'in':
      return Array.isArray(expected) && expected.includes(value);
    case 'truthy':
      return Boolean(value);
    case 'falsy':
      return !value;
  }
}

/**
 * Parameter shapes of the named actions and guards a flow file may use. The validator checks
 * files against this table, so a designer learns about a typo at load time, not on a call.
 */
export const ACTION_PARAMS: Record<string, { required: string[]; optional: string[] }> = {
  say: { required: [], optional: ['prompt', 'rotate'] },
  setIntent: { required: ['intent'], optional: [] },
  countRetry: { required: ['counter'], optional: ['reason'] },
  escalate: { required: ['reason'], optional: [] },
  useHotKey: { required: ['key', 'intent'], optional: [] },
  diagnosis: { required: [], optional: ['symptom', 'outage', 'step', 'result'] },
};

export const GUARD_PARAMS: Record<string, { required: string[]; optional: string[] }> = {
  retriesBelow: { required: ['counter', 'max'], optional: [] },
  fact: { required: ['fact', 'op'], optional: ['value'] },
  diagnosisIs: { required: ['result'], optional: [] },
};

type P = Record<string, unknown>;

/**
 * The implementations behind the names used in flow files. Registered once with XState's
 * `setup()`; flow files stay pure data.
 */
const implementations = setup({
  types: {} as { context: FlowContext; events: FlowEvent; input: FlowInput },
  actions: {
    // Prompts are side effects for the caller's ear; the engine reads them from the action list.
    say: () => {},
    setIntent: assign(({ context }, p: P) => ({
      intent: String(p['intent']),
      intents: [...context.intents, String(p['intent'])],
    })),
    countRetry: assign(({ context }, p: P) => {
      const c = String(p['counter']);
      return { retries: { ...context.retries, [c]: (context.retries[c] ?? 0) + 1 } };
    }),
    escalate: assign((_, p: P) => ({ escalation: String(p['reason']) })),
    useHotKey: assign(({ context }, p: P) => ({
      hotKey: String(p['key']),
      intent: String(p['intent']),
      intents: [...context.intents, String(p['intent'])],
    })),
    diagnosis: assign(({ context }, p: P) => {
      const d: DiagnosisRecord = context.diagnosis ? { ...context.diagnosis, steps: [...context.diagnosis.steps] } : { steps: [] };
      // oxlint-disable-next-line typescript/no-base-to-string -- unknown (narrowed to {}): String() is meant
      if (p['symptom'] !== undefined) d.symptom = String(p['symptom']);
      if (p['outage'] !== undefined) d.outage = Boolean(p['outage']);
      // oxlint-disable-next-line typescript/no-base-to-string -- unknown (narrowed to {}): String() is meant
      if (p['step'] !== undefined) d.steps.push(String(p['step']));
      // oxlint-disable-next-line typescript/no-base-to-string -- unknown (narrowed to {}): String() is meant
      if (p['result'] !== undefined) d.result = String(p['result']);
      return { diagnosis: d };
    }),
  },
  guards: {
    retriesBelow: ({ context }, p: P) => (context.retries[String(p['counter'])] ?? 0) < Number(p['max']),
    fact: ({ context }, p: P) => compareFact(context.facts[String(p['fact'])], p['op'] as FactGuardOp, p['value']),
    diagnosisIs: ({ context }, p: P) => context.diagnosis?.result === p['result'],
  },
});

export function initialFlowContext(facts: Facts): FlowContext {
  return { facts, retries: {}, intent: null, intents: [], hotKey: null, escalation: null, diagnosis: null };
}

/** Builds the XState machine for a loaded (sub-flows inlined, hot keys expanded) flow. */
export function createFlowMachine(flow: FlowFile): AnyStateMachine {
  const { $schema: _schema, context: _context, ...config } = flow;
  const machine = implementations.createMachine({
    ...(config as object),
    // XState's pure transition() may build the context without input; facts then come later.
    context: ({ input }: { input?: FlowInput }) => initialFlowContext(input?.facts ?? {}),
  } as never);
  // The config is data checked at load time, so the machine's precise type adds nothing here.
  return machine as unknown as AnyStateMachine;
}
