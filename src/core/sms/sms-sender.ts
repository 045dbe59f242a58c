/** One text to hand to the carrier. */
export interface OutgoingSms {
  /** E.164. */
  to: string;
  body: string;
  /** Where the carrier reports delivery (signed like the voice webhooks). */
  statusCallback: string;
}

/** What the carrier said when it took the message. */
export interface SentSms {
  sid: string;
  status: string;
}

/**
 * Sends a text. Implementations throw SmsSendError, classified with classifySendFailure, so the
 * queue knows whether to retry.
 */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<SentSms>;
}
