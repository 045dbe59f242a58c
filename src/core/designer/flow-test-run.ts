import type { Configuration } from '../configuration/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import type { Decision } from '../decision/decision.js';
import { FlowLoopError } from '../flows/ivr-player.js';
import { eventsOfTranscript } from './call-events.js';
import { FlowCoverage, type CoverageReport } from './flow-coverage.js';
import type { FlowTestExpect, FlowTestScenario } from './flow-test-file.js';

/** One expectation the decision did not meet. */
export interface ExpectationFailure {
  field: string;
  expected: unknown;
  actual: unknown;
  /** For lists: what is missing or extra. */
  detail?: string;
}

export interface ScenarioResult {
  scenario: FlowTestScenario;
  /** Null when the call could not be decided (the flow did not end). */
  decision: Decision | null;
  failures: ExpectationFailure[];
  passed: boolean;
  /** States the call went through, in order (passed-through states included). */
  route: string[];
}

export interface FlowTestRun {
  results: ScenarioResult[];
  /** Every flow of the configuration and every shared sub-flow, with what the scenarios left untouched. */
  coverage: CoverageReport[];
}

/**
 * Runs each scenario as `ivr-sim call` would (the same decider, the same walk), checks what it
 * expects, and replays the call's events through XState with inspection to see which states
 * and transitions of its flow it touched.
 */
export function runFlowTests(config: Configuration, scenarios: readonly FlowTestScenario[]): FlowTestRun {
  const decider = new CallDecider(config);
  const coverage = new FlowCoverage(config.flows.flows.values());
  const results = scenarios.map((scenario): ScenarioResult => {
    let decision: Decision;
    try {
      decision = decider.decide(scenario.input);
    } catch (err) {
      if (!(err instanceof FlowLoopError)) throw err;
      return { scenario, decision: null, failures: [{ field: 'call', expected: 'to end', actual: err.message }], passed: false, route: [] };
    }
    const flow = config.flows.bySegment.get(decision.segment.id)!;
    const { facts } = decider.profileOf(scenario.input);
    const route = coverage.record(flow, facts, eventsOfTranscript(decision.transcript ?? []));
    const failures = compare(scenario.expect, decision, route);
    return { scenario, decision, failures, passed: failures.length === 0, route };
  });
  return { results, coverage: coverage.report() };
}

function compare(e: FlowTestExpect, d: Decision, route: readonly string[]): ExpectationFailure[] {
  const out: ExpectationFailure[] = [];
  const scalar = (field: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && expected !== actual) out.push({ field, expected, actual });
  };
  scalar('segment', e.segment, d.segment.id);
  scalar('outcome', e.outcome, d.flow.outcome);
  scalar('queue', e.queue, d.route?.queue ?? null);
  scalar('priority', e.priority, d.route?.priority ?? null);
  scalar('intent', e.intent, d.flow.intent);
  scalar('hotKey', e.hotKey, d.flow.hotKey);
  scalar('escalation', e.escalation, d.flow.escalation);
  const tags = d.tags.map((t) => t.key);
  const sms = d.sms.map((s) => s.template);
  if (e.tags !== undefined) sameSet(out, 'tags', e.tags, tags);
  if (e.tagsInclude !== undefined) {
    const missing = e.tagsInclude.filter((t) => !tags.includes(t));
    if (missing.length) out.push({ field: 'tagsInclude', expected: e.tagsInclude, actual: tags, detail: `missing ${missing.join(', ')}` });
  }
  if (e.sms !== undefined) sameSet(out, 'sms', e.sms, sms);
  if (e.diagnosis !== undefined) {
    const actual = d.flow.diagnosis ? { result: d.flow.diagnosis.result ?? null, symptom: d.flow.diagnosis.symptom ?? null } : null;
    if (e.diagnosis === null || actual === null) {
      if (e.diagnosis !== actual) out.push({ field: 'diagnosis', expected: e.diagnosis, actual });
    } else {
      scalar('diagnosis.result', e.diagnosis.result, actual.result);
      scalar('diagnosis.symptom', e.diagnosis.symptom, actual.symptom);
    }
  }
  if (e.visits !== undefined) {
    const missing = e.visits.filter((s) => !route.includes(s));
    if (missing.length) out.push({ field: 'visits', expected: e.visits, actual: route, detail: `never in ${missing.join(', ')}` });
  }
  return out;
}

function sameSet(out: ExpectationFailure[], field: string, expected: string[], actual: string[]): void {
  const missing = expected.filter((x) => !actual.includes(x));
  const extra = actual.filter((x) => !expected.includes(x));
  if (missing.length || extra.length) {
    const detail = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unexpected ${extra.join(', ')}` : ''].filter(Boolean).join('; ');
    out.push({ field, expected, actual, detail });
  }
}
