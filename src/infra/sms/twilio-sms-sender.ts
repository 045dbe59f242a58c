import type twilio from 'twilio';
import { classifySendFailure, SmsSendError } from '../../core/sms/sms-errors.js';
import type { CarrierLookup, CarrierMessage, OutgoingSms, SentSms, SmsSender } from '../../core/sms/sms-sender.js';

/** Who the texts come from: a number (or alphanumeric sender id), or a Messaging Service. */
export type SmsOrigin = { from: string } | { messagingServiceSid: string };

/** Messages per page when looking for a message whose answer was lost. */
const LOOKUP_PAGE_SIZE = 50;

/**
 * Sends through Twilio's Messages API (`messages.create`). Failures come back as SmsSendError:
 * 429, 5xx and network failures are retryable, other 4xx are not, and 21610 (the number texted
 * STOP to this sender) says the number has unsubscribed.
 *
 * `findSent` reads Twilio's Messages list (`messages.page`), which filters only by To, From and
 * the date sent (empty while a message is queued), newest first: it pages back until the
 * messages are older than asked, and keeps ours with the same body.
 */
export class TwilioSmsSender implements SmsSender {
  constructor(
    private readonly client: twilio.Twilio,
    private readonly origin: SmsOrigin,
  ) {}

  async send(sms: OutgoingSms): Promise<SentSms> {
    try {
      const m = await this.client.messages.create({ to: sms.to, body: sms.body, statusCallback: sms.statusCallback, ...this.origin });
      return { sid: m.sid, status: m.status };
    } catch (err) {
      throw toSendError(err);
    }
  }

  async findSent(lookup: CarrierLookup): Promise<CarrierMessage[]> {
    const out: CarrierMessage[] = [];
    try {
      const filter = 'from' in this.origin ? { to: lookup.to, from: this.origin.from } : { to: lookup.to };
      let page = await this.client.messages.page({ ...filter, pageSize: LOOKUP_PAGE_SIZE });
      for (;;) {
        let older = false;
        for (const m of page.instances) {
          const createdAtMs = m.dateCreated instanceof Date ? m.dateCreated.getTime() : NaN;
          if (!(createdAtMs >= lookup.createdSinceMs)) {
            older ||= Number.isFinite(createdAtMs);
            continue;
          }
          if (m.direction !== 'outbound-api' || !bodyMatches(m.body, lookup.body)) continue;
          if ('messagingServiceSid' in this.origin && m.messagingServiceSid !== this.origin.messagingServiceSid) continue;
          out.push({ sid: m.sid, status: m.status, createdAtMs });
        }
        const next = older || !page.nextPageUrl ? undefined : await page.nextPage();
        if (!next) break;
        page = next as typeof page;
      }
    } catch (err) {
      throw toSendError(err);
    }
    // The list is newest first and keeps whole seconds: reversed, a stable sort keeps Twilio's order within a second.
    return out.reverse().sort((a, b) => a.createdAtMs - b.createdAtMs);
  }
}

/** Twilio keeps the body as posted (a trial account prefixes a notice). */
function bodyMatches(stored: string | null | undefined, posted: string): boolean {
  return typeof stored === 'string' && (stored === posted || stored.endsWith(` - ${posted}`));
}

/** Twilio's RestException / TwilioServiceException carry `status` and `code`; network errors carry neither. */
export function toSendError(err: unknown): SmsSendError {
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const twilioCode = status !== undefined && typeof e.code === 'number' ? e.code : undefined;
  const kind = classifySendFailure(status, twilioCode);
  const what = status !== undefined ? `Twilio answered ${status}${twilioCode !== undefined ? ` (error ${twilioCode})` : ''}` : `no answer from Twilio (${typeof e.code === 'string' ? e.code : 'network error'})`;
  return new SmsSendError(kind, `${what}: ${typeof e.message === 'string' ? e.message : String(err)}`, status, twilioCode);
}
