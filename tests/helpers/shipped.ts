import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { CustomerProfile } from '../../src/core/profile/customer-profile.js';

let cached: Configuration | undefined;

/** The repository's own flows, rules and customers, loaded once per test file. */
export function shippedConfig(): Configuration {
  return (cached ??= loadConfiguration());
}

export function shippedDecider(): CallDecider {
  return new CallDecider(shippedConfig());
}

export const SEGMENTS = ['vip-diamond', 'vip-gold', 'vip-silver', 'vip-card', '4g', 'high-data', 'campus', 'standard'] as const;

/** A plain profile for the given segment, without the sample file's randomness. */
export function profileFor(segment: (typeof SEGMENTS)[number], extra: Partial<CustomerProfile> = {}): CustomerProfile {
  const base: CustomerProfile = {
    phone: '+8613900000000',
    title: '李女士',
    plan: '测试套餐',
    planDataMb: 10240,
    dataUsedMb: 2048,
    dou: 2048,
    arpu: 58,
    network: '5G',
    campus: false,
    vipLevel: 'none',
    balance: 88,
    calls24h: 0,
    complaints90d: 0,
    areaOutage: false,
    tenureMonths: 24,
  };
  const bySegment: Record<string, Partial<CustomerProfile>> = {
    'vip-diamond': { vipLevel: 'diamond' },
    'vip-gold': { vipLevel: 'gold' },
    'vip-silver': { vipLevel: 'silver' },
    'vip-card': { vipLevel: 'card' },
    '4g': { network: '4G' },
    'high-data': { dou: 30000, planDataMb: 40960, dataUsedMb: 30000 },
    campus: { campus: true },
    standard: {},
  };
  return { ...base, ...bySegment[segment], ...extra };
}
