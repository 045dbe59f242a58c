import { describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { Decision } from '../../src/core/decision/decision.js';
import type { TraceCall } from '../../src/core/trace/trace-call.js';
import { readTrace } from '../../src/core/trace/trace-reader.js';

/** The golden trace, each call decided by the shipped configuration (ACD-level lines have none). */
async function decidedGolden(): Promise<{ call: TraceCall; decision: Decision | null }[]> {
  const config = loadConfiguration();
  const decider = new CallDecider(config);
  const out: { call: TraceCall; decision: Decision | null }[] = [];
  for await (const call of readTrace('data/traces/golden.jsonl', { queues: new Set(['vip-diamond', 'vip', 'vip-card', '4g', 'data', 'campus', 'general', 'tech']) })) {
    const decision =
      call.queue !== undefined
        ? null
        : decider.decide({
            callId: call.callId,
            keys: call.keys,
            ...(call.caller !== undefined ? { caller: call.caller } : {}),
            ...(call.profile !== undefined ? { profile: call.profile } : {}),
            ...(call.language !== undefined ? { language: call.language } : {}),
            ...(call.hangupInIvrSec !== undefined ? { hangupInIvrSec: call.hangupInIvrSec } : {}),
          });
    out.push({ call, decision });
  }
  return out;
}

describe('the golden trace', () => {
  it('is 40 calls in arrivalSec style, in order, with nothing to skip', async () => {
    const calls = (await decidedGolden()).map((g) => g.call);
    expect(calls).toHaveLength(40);
    expect(calls.every((c, i) => c.line === i + 1 && (i === 0 || c.arrivalSec >= calls[i - 1]!.arrivalSec))).toBe(true);
  });

  it('exercises what its documentation says it does, under the shipped configuration', async () => {
    const golden = await decidedGolden();
    const config = loadConfiguration();
    const decided = golden.flatMap((g) => (g.decision ? [{ ...g, decision: g.decision }] : []));
    const where = (pred: (d: Decision, c: TraceCall) => boolean) => decided.filter((g) => pred(g.decision, g.call)).map((g) => g.call.callId);

    expect(new Set(decided.map((g) => g.decision.segment.id))).toEqual(new Set(config.flows.bySegment.keys()));
    const hotDuringGreeting = where((d, c) => d.flow.hotKey !== null && (c.keys[0]?.afterSec ?? Infinity) < 5).map((id) => golden.find((g) => g.call.callId === id)!.decision!.flow.hotKey);
    expect(new Set(hotDuringGreeting)).toEqual(new Set(['0', '1', '3', '4', '5']));
    expect(where((d) => d.flow.diagnosis?.result === 'fixed' && d.flow.diagnosis.steps.length === 1)).not.toHaveLength(0);
    expect(where((d) => d.flow.diagnosis?.result === 'fixed' && d.flow.diagnosis.steps.length === 2)).not.toHaveLength(0);
    expect(where((d) => d.flow.diagnosis?.result === 'notFixed')).not.toHaveLength(0);
    expect(where((d) => d.flow.diagnosis?.outage === true && d.flow.outcome === 'handoff')).not.toHaveLength(0);
    expect(where((d) => d.flow.diagnosis?.result === 'outage')).not.toHaveLength(0);
    expect(where((d) => d.flow.escalation === 'invalidInput')).not.toHaveLength(0);
    expect(where((d, c) => d.flow.escalation === 'noInput' && c.keys.length === 0)).not.toHaveLength(0);
    expect(where((d, c) => d.flow.escalation === 'noInput' && c.keys.length > 0)).not.toHaveLength(0);
    expect(where((d) => d.flow.outcome === 'hangup' && d.flow.finalState.startsWith('menu'))).not.toHaveLength(0);
    expect(where((d) => d.flow.outcome === 'hangup' && d.flow.finalState.startsWith('diagnosis'))).not.toHaveLength(0);
    expect(where((d, c) => c.profile !== undefined && d.caller.known)).toEqual(['g29']);
    expect(where((d, c) => c.caller !== undefined && !d.caller.known)).toEqual(['g27']);
    expect(where((_d, c) => c.caller === undefined && c.profile === undefined)).toEqual(['g28']);
    expect(where((d, c) => c.language !== undefined && d.caller.language === c.language)).toEqual(['g34']);
    expect(golden.filter((g) => g.call.queue !== undefined).map((g) => [g.call.callId, g.call.priority])).toEqual([['g32', 10], ['g33', undefined]]);
    expect(golden.filter((g) => g.call.observed !== undefined).map((g) => g.call.callId)).toEqual(['g40']);
  });
});
