import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { KeyPress } from '../../src/core/flows/key-presses.js';
import { elements, find, textOf } from '../helpers/xml.js';
import { driveCall } from './call-driver.js';
import { startService, type Harness } from './harness.js';
import { callSid } from '../helpers/twilio.js';

const keys = (...ks: string[]): KeyPress[] => ks.map((key) => ({ key }));

/** One caller per segment, taken from the customers file through the configuration. */
function callerPerSegment(config: Configuration): Map<string, string> {
  const decider = new CallDecider(config);
  const bySegment = new Map<string, string>();
  for (const c of config.customers.all()) {
    const seg = decider.segmentFor({ caller: c.phone }).id;
    if (!bySegment.has(seg) && !c.areaOutage) bySegment.set(seg, c.phone);
  }
  return bySegment;
}

describe('a call through the webhooks is decided exactly as `ivr-sim call` decides it', () => {
  let h: Harness;
  let config: Configuration;
  let decider: CallDecider;
  let callers: Map<string, string>;
  let n = 0;

  beforeAll(async () => {
    h = await startService('whole-call');
    config = loadConfiguration();
    decider = new CallDecider(config);
    callers = callerPerSegment(config);
  });
  afterAll(() => h.close());

  it('has a caller for every segment that has a flow', () => {
    expect([...callers.keys()].sort()).toEqual([...config.flows.bySegment.keys()].sort());
  });

  const paths: { name: string; keys: (config: Configuration, segment: string) => KeyPress[]; noInputVia?: 'action' | 'redirect' }[] = [
    { name: 'bill balance, then back to the menu (2,1)', keys: () => keys('2', '1') },
    { name: "the flow's hot key at the greeting", keys: (c, seg) => keys(c.flows.bySegment.get(seg)!.source.meta.hotKeys?.[0]?.key ?? '0') },
    { name: 'self-diagnosis that fixes the fault (3,2,1)', keys: () => keys('3', '2', '1') },
    { name: 'self-diagnosis that does not (3,2,2,2)', keys: () => keys('3', '2', '2', '2') },
    { name: 'no input until the flow escalates (via the empty Gather action)', keys: () => [], noInputVia: 'action' },
    { name: 'no input until the flow escalates (via the Redirect after the Gather)', keys: () => [], noInputVia: 'redirect' },
    { name: 'a barge-in press, then one late in the next window', keys: () => [{ key: '2', afterSec: 1.5 }, { key: '9', afterSec: 7 }] },
  ];

  for (const path of paths) {
    it(`every segment: ${path.name}`, async () => {
      for (const [segment, caller] of callers) {
        const sid = callSid(++n);
        const ks = path.keys(config, segment);
        const call = await driveCall(h, sid, caller, ks, path.noInputVia ? { noInputVia: path.noInputVia } : {});
        const live = (await h.store.get(sid))!.value.turn.end!.decision!;
        const cli = decider.decide({ callId: sid, caller, keys: ks });
        const what = `${segment} ${caller} keys ${ks.map((k) => k.key).join(',') || '(none)'}`;
        expect(live.segment.id, what).toBe(segment);
        expect(live.flow.outcome, what).toBe(cli.flow.outcome);
        expect(live.route, what).toEqual(cli.route);
        expect(live.tags, what).toEqual(cli.tags);
        expect(live.sms, what).toEqual(cli.sms);
        // Keys pressed as the simulator presses them give the very same decision, timings included.
        expect(live, what).toEqual(cli);

        const last = call.last;
        if (cli.route) {
          expect(textOf(find(last, 'Enqueue')!), what).toBe(cli.route.queue);
          expect(find(last, 'Hangup'), what).toBeUndefined();
        } else {
          expect(find(last, 'Enqueue'), what).toBeUndefined();
          expect(elements(last).at(-1)!.name, what).toBe('Hangup');
        }
      }
    });
  }
});
