/**
 * The shapes of the SIDs Twilio posts: two letters naming the kind, then 32 hex digits. A value
 * of another shape did not come from Twilio (or was mangled), and is refused before it becomes
 * a Redis key or a log field.
 */
export const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** SM for SMS, MM for MMS. */
export const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

/** A received value fit for an error message: quoted, and cut short when long. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}
