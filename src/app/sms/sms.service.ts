import { Inject, Injectable } from '@nestjs/common';
import { maskPhone, normalisePhone } from '../../core/customers/customer-directory.js';
import type { Decision } from '../../core/decision/decision.js';
import type { Clock } from '../../core/time/clock.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { Turn } from '../../core/telephony/turn.js';
import type { CustomerProfile } from '../../core/profile/customer-profile.js';
import { keywordActionOf, type KeywordAction } from '../../core/sms/opt-out-keywords.js';
import type { SmsEventKind } from '../../core/sms/sms-stats.js';
import type { RedisContactLedger } from '../../infra/sms/redis-contact-ledger.js';
import type { RedisSmsStats, SmsStatsView } from '../../infra/sms/redis-sms-stats.js';
import type { EnqueuedSms, SmsProducer } from '../../infra/sms/sms-producer.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { CLOCK, CONFIG_VERSIONS, LOGGER } from '../tokens.js';
import type { InboundSms, SmsStatusReport } from './sms-params.js';
import type { KeywordOptOuts, KeywordOutcome } from './keyword-opt-outs.js';
import { SMS_KEYWORDS, SMS_LEDGER, SMS_PRODUCER, SMS_STATS } from './sms-tokens.js';

/** How long a voice webhook may wait for its SMS to be queued before it answers anyway. */
const ENQUEUE_BUDGET_MS = 1000;

/** Final delivery states Twilio reports, and how they are counted. */
const DELIVERY: Record<string, SmsEventKind> = { delivered: 'delivered', read: 'delivered', undelivered: 'undelivered', failed: 'undelivered' };

/**
 * Triggered SMS for live calls: queues a decided call's messages (the worker sends them), takes
 * STOP/START from customers, counts Twilio's delivery reports, and reports the counters.
 */
@Injectable()
export class SmsService {
  constructor(
    @Inject(SMS_PRODUCER) private readonly producer: SmsProducer,
    @Inject(SMS_LEDGER) private readonly ledger: RedisContactLedger,
    @Inject(SMS_STATS) private readonly counters: RedisSmsStats,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(SMS_KEYWORDS) private readonly keywords: KeywordOptOuts,
  ) {}

  /** Queues the SMS of a decided call (suppressed ones are counted, deferred ones delayed). Throws when Redis fails. */
  enqueueForCall(callSid: string, phone: string, decision: Decision, profile: CustomerProfile | undefined): Promise<EnqueuedSms[]> {
    return this.producer.enqueueForCall(callSid, phone, decision, profile);
  }

  /**
   * For the voice webhooks, on the turn that ends the IVR (self-served or handed off): queues the
   * call's SMS. Never throws and waits at most a second: the caller's TwiML does not depend on it.
   */
  async callDecided(turn: Turn): Promise<void> {
    const decision = turn.end?.decision;
    if (!decision || decision.sms.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      const { profile } = this.versions.current.decider.profileOf({ callId: turn.callSid, caller: decision.caller.phone, keys: [] });
      const queued = this.enqueueForCall(turn.callSid, decision.caller.phone, decision, profile);
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`not queued within ${ENQUEUE_BUDGET_MS} ms`), { code: 'SMS_QUEUE_SLOW' })), ENQUEUE_BUDGET_MS);
      });
      queued.catch(() => undefined);
      await Promise.race([queued, late]);
    } catch (err) {
      const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'SMS_QUEUE_UNAVAILABLE';
      this.log.error({ callSid: turn.callSid, code, err: (err as Error).message, templates: decision.sms.map((s) => s.template) }, 'call SMS not queued');
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * STOP-family words opt the sender out, START-family words back in; anything else is ignored.
   * While Redis is unreachable the keyword is spooled and applied, in order, when it is back.
   */
  async inbound(sms: InboundSms): Promise<KeywordAction | null> {
    const action = keywordActionOf(sms.body);
    const phone = normalisePhone(sms.from);
    let outcome: KeywordOutcome | null = null;
    if (action) outcome = await this.keywords.received({ phone, action, atMs: this.clock.now() });
    this.log.info({ from: maskPhone(phone), messageSid: sms.messageSid, action: action ?? 'none', ...(outcome ? { keyword: outcome.kind } : {}) }, 'inbound SMS');
    return action;
  }

  /** Counts a final delivery report once per message; intermediate states (queued, sent) are not counted. */
  async status(report: SmsStatusReport): Promise<SmsEventKind | null> {
    const kind = DELIVERY[report.status] ?? null;
    if (kind === null) return null;
    await this.counters.record({
      kind,
      template: report.template ?? 'unknown',
      messageKey: report.key ?? report.messageSid,
      atMs: this.clock.now(),
      reason: report.errorCode ?? report.status,
    });
    return kind;
  }

  async stats(): Promise<SmsStatsView> {
    return this.counters.view(this.ledger.optOutSetKey, 20, await this.producer.pendingJobs());
  }
}
