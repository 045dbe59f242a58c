import { describe, expect, it } from 'vitest';
import type { CustomerProfile } from '../../src/core/profile/customer-profile.js';
import { shippedDecider } from '../helpers/shipped.js';

const decider = shippedDecider();
const segmentOf = (p: Partial<CustomerProfile>) => decider.segmentFor({ profile: { phone: '+8613900000001', ...p } }).id;

describe('segmentation (rules/segments.json)', () => {
  it.each([
    ['diamond', 'vip-diamond'],
    ['gold', 'vip-gold'],
    ['silver', 'vip-silver'],
    ['card', 'vip-card'],
    ['none', 'standard'],
  ] as const)('VIP level %s → %s', (vipLevel, segment) => {
    expect(segmentOf({ vipLevel })).toBe(segment);
  });

  it('heavy data use starts at exactly 20 GB a month', () => {
    expect(segmentOf({ dou: 20480 })).toBe('high-data');
    expect(segmentOf({ dou: 20479 })).toBe('standard');
  });

  it('90% of a plan of at least 10 GB used also makes a heavy data user', () => {
    expect(segmentOf({ dou: 9000, planDataMb: 10240, dataUsedMb: 9216 })).toBe('high-data'); // 90%
    expect(segmentOf({ dou: 9000, planDataMb: 10240, dataUsedMb: 9113 })).toBe('standard'); // 89%
    expect(segmentOf({ dou: 8000, planDataMb: 9216, dataUsedMb: 9216 })).toBe('standard'); // plan under 10 GB
  });

  it('4G customers start at an ARPU of 38 yuan', () => {
    expect(segmentOf({ network: '4G', arpu: 38 })).toBe('4g');
    expect(segmentOf({ network: '4G', arpu: 37.99 })).toBe('standard');
    expect(segmentOf({ network: '5G', arpu: 300 })).toBe('standard');
  });

  it('precedence: VIP over campus over heavy data over 4G', () => {
    expect(segmentOf({ vipLevel: 'gold', campus: true, dou: 50000, network: '4G', arpu: 100 })).toBe('vip-gold');
    expect(segmentOf({ campus: true, dou: 50000, network: '4G', arpu: 100 })).toBe('campus');
    expect(segmentOf({ dou: 50000, network: '4G', arpu: 100 })).toBe('high-data');
  });

  it('an empty profile is standard, and so is an unknown number', () => {
    expect(segmentOf({})).toBe('standard');
    expect(decider.segmentFor({ caller: '+15550000000' })).toEqual({ id: 'standard', priority: 10, rule: null });
  });

  it('says which profile facts were missing for the rules that could not fire', () => {
    const d = decider.decide({ callId: 'm', profile: { phone: '+8613900000002', network: '4G' }, keys: [{ key: '0' }] });
    expect(d.segment.id).toBe('standard');
    expect(d.explanation.skipped).toContainEqual({ ruleSet: 'segments', rule: '4g-customer', missingFacts: ['arpu'] });
    expect(d.explanation.skipped).toContainEqual({ ruleSet: 'segments', rule: 'diamond-vip', missingFacts: ['vipLevel'] });
  });
});
