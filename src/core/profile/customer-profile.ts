/** VIP tiers as the operator's CRM records them. `card` is the 贵宾卡 (VIP card) programme. */
export type VipLevel = 'diamond' | 'gold' | 'silver' | 'card' | 'none';

export type Language = 'zh-CN' | 'en-US';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US'];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

/**
 * What the CRM knows about a caller. Every field but `phone` may be missing: rules that need
 * a missing field do not fire, and the decision says which facts were missing.
 */
export interface CustomerProfile {
  phone: string;
  name?: string;
  /** How the caller is addressed, e.g. 王先生 or "Ms Li". */
  title?: string;
  language?: Language;
  vipLevel?: VipLevel;
  /** Average revenue per user, CNY per month. */
  arpu?: number;
  /** Data of usage: MB per month. */
  dou?: number;
  /** Minutes of usage per month. */
  mou?: number;
  plan?: string;
  /** Data included in the plan, MB per month. */
  planDataMb?: number;
  /** Data used so far this month, MB. */
  dataUsedMb?: number;
  network?: '5G' | '4G' | '3G' | '2G';
  tenureMonths?: number;
  campus?: boolean;
  /** Account balance, CNY. */
  balance?: number;
  /** Earlier calls to the hotline in the last 24 hours / 7 days (this call excluded). */
  calls24h?: number;
  calls7d?: number;
  /** Complaints filed in the last 90 days. */
  complaints90d?: number;
  /** A network outage is reported in the caller's area. */
  areaOutage?: boolean;
  region?: string;
  /** IANA time zone, used for SMS quiet hours. */
  timeZone?: string;
}
