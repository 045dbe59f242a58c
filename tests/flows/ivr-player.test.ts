import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { FlowRuntime } from '../../src/core/decision/flow-runtime.js';
import type { IvrCall, IvrPause, PlayOptions } from '../../src/core/flows/ivr-player.js';
import type { KeyPress } from '../../src/core/flows/key-presses.js';

const OPTS: PlayOptions = { language: 'zh-CN', rotation: 0, transcript: true };

describe('the IVR player', () => {
  let config: Configuration;
  let runtime: FlowRuntime;
  beforeAll(() => {
    config = loadConfiguration();
    runtime = new FlowRuntime(config);
  });
  const facts = () => runtime.factsOf({ phone: '+8613800000300' }, true);

  it('lets a key interrupt the prompts where the state allows barge-in', () => {
    const first = runtime.player('standard')!.start(facts(), OPTS);
    expect(first.bargeIn).toBe(true);
    const r = runtime.player('standard')!.play(facts(), [{ key: '2', afterSec: 1 }], OPTS);
    expect(r.keys[0]).toEqual({ key: '2', atSec: first.promptsStartSec + 1 });
    expect(r.transcript!.find((e) => e.kind === 'key')).toMatchObject({ bargeIn: true });
  });

  it('hears a key pressed during the prompts only as they end where barge-in is off', () => {
    // The same configuration with barge-in off in the standard flow's first wait.
    const own = loadConfiguration();
    const probe = new FlowRuntime(own).player('standard')!.start(facts(), OPTS);
    probe.node.state.config.meta!.input!.bargeIn = false;
    const player = new FlowRuntime(own).player('standard')!;
    const first = player.start(facts(), OPTS);
    expect(first.bargeIn).toBe(false);
    const r = player.play(facts(), [{ key: '2', afterSec: 1 }], OPTS);
    expect(r.keys[0]).toEqual({ key: '2', atSec: first.promptsStartSec + first.promptSec });
    expect(r.transcript!.find((e) => e.kind === 'key')).toMatchObject({ bargeIn: false });
  });

  it('lets the window run out when a key comes after it; the key is not taken in that wait', () => {
    const player = runtime.player('standard')!;
    const first = player.start(facts(), OPTS);
    const late = first.windowSec + 0.5;
    const r = player.play(facts(), [{ key: '0', afterSec: late }], OPTS);
    const noInput = r.transcript!.find((e) => e.kind === 'noInput')!;
    expect(noInput).toMatchObject({ state: first.node.state.path, atSec: first.promptsStartSec + first.windowSec });
    const at = r.transcript!.indexOf(noInput);
    expect(r.transcript!.every((e, i) => e.kind !== 'key' || i > at)).toBe(true);
    // Pressed just inside the window instead, it is taken there.
    const inTime = player.play(facts(), [{ key: '0', afterSec: first.windowSec }], OPTS);
    expect(inTime.keys[0]).toEqual({ key: '0', atSec: first.promptsStartSec + first.windowSec });
  });

  it('ends a call paused at every wait and resumed from JSON exactly as one played in one go', () => {
    const player = runtime.player('standard')!;
    const lists: KeyPress[][] = [[], [{ key: '2' }], [{ key: '3' }, { key: '3' }, { key: '1' }], [{ key: '8', afterSec: 0.4 }, { key: '1' }, { key: '9' }], [{ key: '4' }, { key: '1' }, { key: '0', afterSec: 30 }]];
    for (const keys of lists) {
      const opts = { language: 'zh-CN' as const, rotation: 0 };
      let call: IvrCall = player.start(facts(), opts);
      let k = 0;
      while (call.result === null) {
        const stored = JSON.parse(JSON.stringify(call.pause())) as IvrPause;
        call = player.resume(stored, opts);
        if (call.offer(keys[k])) k++;
      }
      expect(call.result, JSON.stringify(keys)).toEqual({ ...player.play(facts(), keys, opts), unusedKeys: 0 });
    }
  });
});
