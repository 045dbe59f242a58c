import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { FlowRuntime } from '../../src/core/decision/flow-runtime.js';

describe('the FlowRuntime of a configuration', () => {
  let config: Configuration;
  beforeAll(() => {
    config = loadConfiguration();
  });

  it('finds a stored call among the steps memoised for earlier calls, so a webhook does not ask XState again', () => {
    const runtime = new FlowRuntime(config);
    const player = runtime.player('standard')!;
    const facts = runtime.factsOf({ phone: '+8613800000300' }, true);
    const opts = { language: 'zh-CN' as const, rotation: 0 };
    const first = player.start(facts, opts);
    first.key('2', first.promptSec);
    expect(first.result).toBeNull();
    // As the state store gives it back: plain JSON.
    const stored = JSON.parse(JSON.stringify(first.pause()));
    const resumed = player.resume(stored, opts);
    expect(resumed.node).toBe(first.node);
    // The reference player remembers nothing: the stored call is rebuilt from its XState snapshot.
    const reference = runtime.referencePlayer('standard')!;
    const rebuilt = reference.resume(JSON.parse(JSON.stringify(reference.start(facts, opts).pause())), opts);
    expect(rebuilt.node).not.toBe(first.node);
    expect(rebuilt.node.state.path).toBe(runtime.player('standard')!.start(facts, opts).node.state.path);
  });

  it('holds the per-caller memo and the derived facts the decider uses', () => {
    const runtime = new FlowRuntime(config);
    const decider = new CallDecider(config, runtime);
    const caller = [...config.customers.all()][0]!;
    const d = decider.decide({ callId: 'c1', caller: caller.phone, keys: [{ key: '0' }] });
    const { facts } = decider.profileOf({ callId: 'c1', caller: caller.phone, keys: [] });
    expect(facts).toBe(runtime.factsOf(caller, true));
    const memo = runtime.callerMemo(facts);
    expect(memo.segResult).toBeDefined();
    expect(memo.handoff.size).toBe(1);
    // A second call of the same caller doing the same thing reuses the memo and decides the same.
    expect(decider.decide({ callId: 'c1', caller: caller.phone, keys: [{ key: '0' }] })).toEqual(d);
    expect(memo.handoff.size).toBe(1);
  });
});
