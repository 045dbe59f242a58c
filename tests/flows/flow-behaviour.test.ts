import { describe, expect, it } from 'vitest';
import type { KeyPress } from '../../src/core/flows/key-presses.js';
import { parseKeys } from '../../src/core/flows/key-presses.js';
import type { CustomerProfile } from '../../src/core/profile/customer-profile.js';
import { profileFor, SEGMENTS, shippedConfig, shippedDecider } from '../helpers/shipped.js';

const decider = shippedDecider();
const config = shippedConfig();
const call = (profile: CustomerProfile, keys: string | KeyPress[], extra: { hangupInIvrSec?: number; language?: 'en-US' } = {}) =>
  decider.decide({ callId: 'spec', profile, keys: typeof keys === 'string' ? parseKeys(keys) : keys, transcript: true, ...extra });

describe('hot keys', () => {
  for (const segment of SEGMENTS) {
    const flow = config.flows.bySegment.get(segment)!;
    for (const hot of flow.source.meta.hotKeys ?? []) {
      it(`a ${segment} caller pressing hot key ${hot.key} during the greeting goes straight to ${hot.target}`, () => {
        const d = call(profileFor(segment), [{ key: hot.key, afterSec: 1 }]);
        expect(d.flow.hotKey).toBe(hot.key);
        expect(d.flow.intents[0]).toBe(hot.intent);
        const states = d.transcript!.filter((e) => e.kind === 'state').map((e) => e.state);
        expect(states[1]!.split('.')[0]).toBe(hot.target);
        // The greeting was cut short: the key came one second in.
        expect(d.transcript!.find((e) => e.kind === 'key')).toMatchObject({ atSec: 1, bargeIn: true });
      });
    }
  }

  it('a key that is not a hot key answers the menu even while the greeting plays', () => {
    const d = call(profileFor('vip-gold'), [{ key: '2', afterSec: 0.5 }]);
    expect(d.flow.hotKey).toBe('2'); // gold: 2 is a hot key (bill)
    const std = call(profileFor('standard'), [{ key: '2', afterSec: 0.5 }]);
    expect(std.flow.hotKey).toBeNull();
    expect(std.flow.intents[0]).toBe('bill');
  });
});

describe('self-diagnosis sub-flow', () => {
  it('a fixed fault ends self-served with troubleshooting tips by SMS', () => {
    const d = call(profileFor('4g'), '3,1,1');
    expect(d.flow.outcome).toBe('selfServed');
    expect(d.flow.diagnosis).toEqual({ outage: false, symptom: 'noSignal', steps: ['restart'], result: 'fixed' });
    expect(d.sms.map((s) => s.template)).toContain('troubleshooting-tips');
    expect(d.route).toBeNull();
  });

  it('a fault still there after every guided step hands off to network support with the diagnosis on screen', () => {
    const d = call(profileFor('standard'), '3,2,2,2');
    expect(d.flow.outcome).toBe('handoff');
    expect(d.flow.diagnosis).toMatchObject({ symptom: 'slowData', steps: ['checkDataSwitch', 'restart'], result: 'notFixed' });
    expect(d.route).toMatchObject({ queue: 'tech', rule: 'unfixed-network-fault-to-tech' });
    expect(d.tags.map((t) => t.key)).toContain('diagnosis');
  });

  it('a VIP whose fault is not fixed stays with the VIP desk', () => {
    const d = call(profileFor('vip-gold'), '3,3,2,2');
    expect(d.flow.diagnosis?.result).toBe('notFixed');
    expect(d.route?.queue).toBe('vip');
  });

  it('an outage in the caller area is announced first and ends the call self-served', () => {
    const d = call(profileFor('campus', { areaOutage: true }), '3');
    expect(d.flow.outcome).toBe('selfServed');
    expect(d.flow.diagnosis).toMatchObject({ outage: true, result: 'outage' });
    expect(d.transcript!.some((e) => e.kind === 'prompt' && e.promptId === 'diag.outage')).toBe(true);
    expect(d.sms.map((s) => s.template)).toContain('outage-follow-up');
  });

  it('during an outage, pressing 1 reaches an agent who sees the outage tag', () => {
    const d = call(profileFor('campus', { areaOutage: true }), '3,1');
    expect(d.flow.outcome).toBe('handoff');
    expect(d.tags.map((t) => t.key)).toContain('area-outage');
  });

  it('choosing an agent from the symptom menu hands off', () => {
    const d = call(profileFor('4g'), '3,0');
    expect(d.flow).toMatchObject({ outcome: 'handoff', diagnosis: { result: 'agent' } });
  });
});

describe('no input and invalid input', () => {
  it('three invalid keys at the menu escalate to an agent, who is told why', () => {
    const d = call(profileFor('standard'), '7,8,#');
    expect(d.flow).toMatchObject({ outcome: 'handoff', escalation: 'invalidInput' });
    expect(d.flow.keys).toEqual(['7', '8', '#']);
    expect(d.tags.map((t) => t.key)).toContain('ivr-escalation');
    const prompts = d.transcript!.filter((e) => e.kind === 'prompt').map((e) => (e.kind === 'prompt' ? e.promptId : ''));
    expect(prompts.filter((p) => p === 'common.invalid')).toHaveLength(2);
    expect(prompts).toContain('common.too-many-errors');
  });

  it('silence at the menu re-prompts twice, then escalates', () => {
    const d = call(profileFor('vip-silver'), '');
    expect(d.flow).toMatchObject({ outcome: 'handoff', escalation: 'noInput' });
    expect(d.transcript!.filter((e) => e.kind === 'noInput')).toHaveLength(3);
  });

  it('an invalid then a valid key is forgiven', () => {
    const d = call(profileFor('standard'), '6,2,9');
    expect(d.flow).toMatchObject({ outcome: 'selfServed', escalation: null, intents: ['bill'] });
  });

  it('silence at "anything else?" ends the call self-served', () => {
    const d = call(profileFor('standard'), '1');
    expect(d.flow.outcome).toBe('selfServed');
    expect(d.sms.map((s) => s.template)).toEqual(['data-usage-summary']);
  });

  it('invalid keys in a guided diagnosis step end it as not fixed', () => {
    const d = call(profileFor('4g'), '3,1,5,5,5');
    expect(d.flow.diagnosis).toMatchObject({ result: 'notFixed' });
    expect(d.flow.escalation).toBe('invalidInput');
  });

  it('a key pressed after the wait timed out counts as no input, and is heard at the next wait', () => {
    // The menu waits 5 s after its prompts; this key comes 60 s after they started.
    const d = call(profileFor('standard'), [{ key: '1', afterSec: 60 }]);
    expect(d.transcript!.find((e) => e.kind === 'noInput')).toBeDefined();
    expect(d.flow.outcome).toBe('handoff');
    expect(d.flow.escalation).toBe('noInput');
  });
});

describe('timing and hang-ups', () => {
  it('IVR time adds up prompt durations and key timings', () => {
    const d = call(profileFor('standard'), [{ key: '0', afterSec: 2 }]);
    const handoffPrompt = config.flows.prompts.render('handoff.standard', {}, 'zh-CN').durationSec;
    expect(d.flow.ivrSec).toBeCloseTo(2 + handoffPrompt, 6);
  });

  it('a caller who hangs up in the IVR is neither self-served nor handed off', () => {
    const d = call(profileFor('standard'), '', { hangupInIvrSec: 4 });
    expect(d.flow).toMatchObject({ outcome: 'hangup', ivrSec: 4 });
    expect(d.route).toBeNull();
  });
});

describe('personalised greetings', () => {
  it('greets a known diamond VIP by title with the plan data left', () => {
    const d = call(profileFor('vip-diamond', { title: '王先生', plan: '全球通尊享598', planDataMb: 102400, dataUsedMb: 46080 }), '0');
    const greeting = d.transcript!.find((e) => e.kind === 'prompt')!;
    expect(greeting.kind === 'prompt' && greeting.text).toBe('尊敬的钻石卡客户王先生，您好！欢迎致电钻石VIP专线。您的全球通尊享598本月剩余流量55GB。');
  });

  it('drops the personal sentence when the profile lacks the facts', () => {
    const d = decider.decide({ callId: 'x', caller: '+8613111111111', keys: parseKeys('0'), transcript: true });
    expect(d.caller.known).toBe(false);
    expect(d.segment.id).toBe('standard');
    const greeting = d.transcript!.find((e) => e.kind === 'prompt')!;
    expect(greeting.kind === 'prompt' && greeting.text).toBe('您好，欢迎致电客户服务热线。');
  });

  it('speaks English to an English-speaking caller', () => {
    const d = call(profileFor('vip-gold', { language: 'en-US', title: 'Ms Park' }), '0');
    const greeting = d.transcript!.find((e) => e.kind === 'prompt')!;
    expect(greeting.kind === 'prompt' && greeting.text.startsWith('Hello, Ms Park. Welcome to the Gold VIP line.')).toBe(true);
    expect(d.caller.language).toBe('en-US');
  });

  it('rotates promotions by call so callers hear different ones', () => {
    const heard = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const d = decider.decide({ callId: `c-${i}`, profile: profileFor('vip-diamond'), keys: parseKeys('0'), transcript: true });
      const promo = d.transcript!.find((e) => e.kind === 'prompt' && e.promptId.startsWith('promo.'));
      if (promo?.kind === 'prompt') heard.add(promo.promptId);
    }
    expect([...heard].sort()).toEqual(['promo.vip-5g-upgrade', 'promo.vip-travel']);
  });
});
