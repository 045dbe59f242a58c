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

/** A message the carrier holds that may be one we sent without hearing the answer. */
export interface CarrierMessage extends SentSms {
  /** When the carrier created it (its clock, whole seconds). */
  createdAtMs: number;
}

/** Which recent messages to look for: ours, to this number, with this text, created since then. */
export interface CarrierLookup {
  to: string;
  body: string;
  createdSinceMs: number;
}

/**
 * Sends a text, and finds texts sent before. Implementations throw SmsSendError, classified
 * with classifySendFailure, so the queue knows whether to retry.
 */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<SentSms>;
  /**
   * The messages from our sender to `to` with exactly this body created at or after
   * `createdSinceMs`, queued ones included, oldest first. Used when a worker died between
   * posting a message and recording the answer.
   */
  findSent(lookup: CarrierLookup): Promise<CarrierMessage[]>;
}
