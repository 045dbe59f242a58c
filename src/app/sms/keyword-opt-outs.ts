import { maskPhone } from '../../core/customers/customer-directory.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { PermanentSpoolError, type OutageSpool } from '../spool/outage-spool.js';
import type { KeywordEvent, RedisKeywordLedger } from './redis-keyword-ledger.js';

const SMS_KEYWORD = 'sms-keyword';

export type KeywordOutcome =
  /** In effect now. */
  | { kind: 'applied' }
  /** A later STOP or START of this number was applied already; this one changes nothing. */
  | { kind: 'stale' }
  /** Redis could not take it: kept in the spool (on disk), applied in order once Redis is back. */
  | { kind: 'spooled'; seq: number; fault: string };

/**
 * Opt-outs and opt-ins are a legal duty and Twilio does not retry an inbound message, so none is
 * lost: while Redis cannot take them they are spooled and applied, in the order received, once
 * it is back. A keyword received while others wait queues behind them.
 */
export class KeywordOptOuts {
  constructor(
    private readonly ledger: RedisKeywordLedger,
    private readonly spool: OutageSpool,
    private readonly log: AppLogger,
  ) {
    spool.register(SMS_KEYWORD, (data) => this.applySpooled(data));
  }

  async received(ev: KeywordEvent): Promise<KeywordOutcome> {
    if (!this.spool.isEmpty) return this.keep(ev, 'SPOOL_NOT_EMPTY');
    try {
      return { kind: await this.ledger.apply(ev) };
    } catch (err) {
      return this.keep(ev, 'SMS_LEDGER_UNAVAILABLE', err);
    }
  }

  private async keep(ev: KeywordEvent, fault: string, err?: unknown): Promise<KeywordOutcome> {
    const seq = await this.spool.add(SMS_KEYWORD, ev);
    this.log.warn({ from: maskPhone(ev.phone), action: ev.action, code: fault, spooled: seq, ...(err ? { err: (err as Error).message } : {}) }, 'SMS keyword spooled: applied when Redis takes it');
    return { kind: 'spooled', seq, fault };
  }

  private async applySpooled(data: unknown): Promise<void> {
    const ev = data as Partial<KeywordEvent> | null;
    if (typeof ev?.phone !== 'string' || (ev.action !== 'opt-out' && ev.action !== 'opt-in') || typeof ev.atMs !== 'number') {
      throw new PermanentSpoolError('a spooled SMS keyword without phone, action or time');
    }
    await this.ledger.apply(ev as KeywordEvent);
  }
}
