import { describe, expect, it } from 'vitest';
import { parseKeys } from '../../src/core/flows/key-presses.js';
import type { CustomerProfile } from '../../src/core/profile/customer-profile.js';
import { profileFor, SEGMENTS, shippedDecider } from '../helpers/shipped.js';

const decider = shippedDecider();
const toAgent = (profile: CustomerProfile, keys = '0') => decider.decide({ callId: 'r', profile, keys: parseKeys(keys) });

describe('routing at hand-off (rules/routing.json)', () => {
  it('a diamond VIP who presses 0 is queued ahead of a campus caller', () => {
    const diamond = toAgent(profileFor('vip-diamond'));
    const campus = toAgent(profileFor('campus'));
    expect(diamond.route).toMatchObject({ queue: 'vip-diamond', rule: 'diamond-dedicated-desk' });
    expect(campus.route).toMatchObject({ queue: 'campus', rule: 'campus-desk' });
    expect(diamond.route!.priority).toBeGreaterThan(campus.route!.priority);
  });

  it('orders priority diamond > gold > silver > vip-card, 4G, high-data > campus > standard', () => {
    const p = Object.fromEntries(SEGMENTS.map((s) => [s, toAgent(profileFor(s)).route!.priority]));
    expect(p['vip-diamond']).toBeGreaterThan(p['vip-gold']!);
    expect(p['vip-gold']).toBeGreaterThan(p['vip-silver']!);
    for (const mid of ['vip-card', '4g', 'high-data']) {
      expect(p['vip-silver']).toBeGreaterThan(p[mid]!);
      expect(p[mid]).toBeGreaterThan(p['campus']!);
    }
    expect(p['campus']).toBeGreaterThan(p['standard']!);
  });

  it('each segment goes to its own skill group, with overflow to general', () => {
    const queues = Object.fromEntries(SEGMENTS.map((s) => [s, toAgent(profileFor(s)).route!]));
    expect(Object.fromEntries(Object.entries(queues).map(([s, r]) => [s, r.queue]))).toEqual({
      'vip-diamond': 'vip-diamond',
      'vip-gold': 'vip',
      'vip-silver': 'vip',
      'vip-card': 'vip-card',
      '4g': '4g',
      'high-data': 'data',
      campus: 'campus',
      standard: 'general',
    });
    expect(queues['vip-diamond']!.overflow).toEqual([
      { afterSec: 20, queue: 'vip', priority: 100 },
      { afterSec: 60, queue: 'general', priority: 100 },
    ]);
    expect(queues['standard']!.rule).toBeNull(); // the default route
  });

  it('a standard caller calling for the third time in a day is boosted above other standard callers', () => {
    const repeat = toAgent(profileFor('standard', { calls24h: 2 }));
    expect(repeat.route).toMatchObject({ queue: 'general', priority: 25, rule: 'repeat-caller-boost' });
    expect(repeat.route!.priority).toBeLessThan(toAgent(profileFor('campus')).route!.priority);
  });

  it('self-served calls get no route and no pop-up', () => {
    const d = toAgent(profileFor('vip-gold'), '1,9');
    expect(d.flow.outcome).toBe('selfServed');
    expect(d.route).toBeNull();
    expect(d.tags).toEqual([]);
  });
});

describe('pop-up tags (rules/popups.json)', () => {
  it('shows the data, repeat-call and outage facts the agent needs, highest priority first', () => {
    const d = toAgent(profileFor('4g', { dataUsedMb: 9421, planDataMb: 10240, calls24h: 2, areaOutage: true }));
    expect(d.tags.map((t) => t.text)).toEqual([
      '来电区域有网络故障报告',
      '24小时内第3次来电 · 投诉风险',
      '4G · 本月流量已用92% · 建议推荐加油包',
    ]);
    expect(d.tags.map((t) => t.rule)).toEqual(['area-outage', 'repeat-caller', '4g-data-near-cap']);
  });

  it('in English for an English-speaking caller', () => {
    const d = toAgent(profileFor('4g', { dataUsedMb: 9421, planDataMb: 10240, calls24h: 2, language: 'en-US' }));
    expect(d.tags.map((t) => t.text)).toEqual(['3rd call in 24 h · complaint risk', '4G · 92% of plan data used · suggest add-on pack']);
  });

  it('is a union with one tag per key', () => {
    const d = toAgent(profileFor('vip-gold', { tenureMonths: 80, complaints90d: 2, balance: 3 }));
    const keys = d.tags.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['loyal-vip', 'complaint-history', 'low-balance']));
  });
});

describe('SMS (rules/sms.json)', () => {
  it('a data-balance check sends a usage summary with its variables', () => {
    const d = toAgent(profileFor('standard', { plan: '畅享58', planDataMb: 10240, dataUsedMb: 5120 }), '1,9');
    expect(d.sms).toEqual([
      {
        template: 'data-usage-summary',
        class: 'service',
        vars: { plan: '畅享58', dataUsedPct: 50, dataRemainingGb: 5 },
        rule: 'data-usage-after-balance-check',
      },
    ]);
  });

  it('asks for each template once however many rules want it', () => {
    // Data balance twice in one call: one summary.
    const d = toAgent(profileFor('standard'), '1,1,1,9');
    expect(d.flow.intents).toEqual(['data-balance', 'data-balance']);
    expect(d.sms.map((s) => s.template)).toEqual(['data-usage-summary']);
  });

  it('offers heavy data users an add-on pack only when they did not just order one', () => {
    const offered = toAgent(profileFor('high-data'), '1,9');
    expect(offered.sms.map((s) => s.template)).toEqual(['data-usage-summary', 'addon-offer']);
    const ordered = toAgent(profileFor('high-data'), '4,1,9');
    expect(ordered.sms.map((s) => s.template)).toEqual(['addon-confirmation']);
  });
});
