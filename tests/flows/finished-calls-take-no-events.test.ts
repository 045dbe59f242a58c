import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { FlowCoverage } from '../../src/core/designer/flow-coverage.js';
import { runFlowTests } from '../../src/core/designer/flow-test-run.js';
import { loadFlowTests } from '../../src/core/designer/flow-test-file.js';
import { edgePaths, shortestPaths, visitedStates } from '../../src/core/flows/flow-paths.js';
import { parseKeys } from '../../src/core/flows/key-presses.js';
import { profileFor, shippedConfig } from '../helpers/shipped.js';

// XState warns (in its development build, the one tests load) for every event sent to an actor
// that has reached a final state. Nothing here should send one: a finished call takes no events.
const config = shippedConfig();
let warn: MockInstance<typeof console.warn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => {
  warn.mockRestore();
});
const stoppedActorWarnings = () => warn.mock.calls.map((args) => args.map(String).join(' ')).filter((line) => line.includes('stopped actor'));

describe('a call that has finished its flow takes no more events', () => {
  it('when every state is walked, events past the hand-off included', () => {
    let walked = 0;
    for (const flow of config.flows.flows.values()) {
      for (const p of edgePaths(flow, shortestPaths(flow))) walked += visitedStates(flow, p.facts, p.events).length;
    }
    expect(walked).toBeGreaterThan(0);
    expect(stoppedActorWarnings()).toEqual([]);
  });

  it('when scenario coverage replays keys the caller pressed after the flow ended', () => {
    const flow = config.flows.bySegment.get('standard')!;
    const facts = new CallDecider(config).profileOf({ callId: 'after-end', profile: profileFor('standard'), keys: [] }).facts;
    // 3,1,1 ends self-served; the 9 and the silence come after the end.
    const route = new FlowCoverage([flow]).record(flow, facts, ['KEY.3', 'KEY.1', 'KEY.1', 'KEY.9', 'NO_INPUT']);
    expect(route.at(-1)).toBe('selfServed');
    expect(stoppedActorWarnings()).toEqual([]);
  });

  it('when the shipped scenarios run with coverage', () => {
    const run = runFlowTests(config, loadFlowTests(join(config.flows.dir, 'tests'), config));
    expect(run.results.length).toBeGreaterThan(0);
    expect(stoppedActorWarnings()).toEqual([]);
  });

  it('when calls are decided by the fast path and by the reference, keys left over included', async () => {
    const decider = new CallDecider(config);
    for (const segment of ['vip-diamond', 'standard', 'campus'] as const) {
      const input = { callId: `left-over-${segment}`, profile: profileFor(segment), keys: parseKeys('0,1,2,3,9,9,9') };
      expect(decider.decide(input)).toEqual(await decider.decideReference(input));
    }
    expect(stoppedActorWarnings()).toEqual([]);
  });

  it('when ivr-sim call --reference runs', async () => {
    const io = bufferIO();
    expect(await runCli(['call', '--caller', '+8613800000300', '--keys', '3,2,2,2,9,9', '--reference'], io)).toBe(0);
    expect(stoppedActorWarnings()).toEqual([]);
  });
});
