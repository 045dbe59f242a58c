/** Injection tokens of the SMS module. */
export const SMS_POLICY = Symbol('SMS_POLICY');
export const SMS_LEDGER = Symbol('SMS_LEDGER');
export const SMS_STATS = Symbol('SMS_STATS');
export const SMS_PRODUCER = Symbol('SMS_PRODUCER');
export const SMS_KEYWORDS = Symbol('SMS_KEYWORDS');
