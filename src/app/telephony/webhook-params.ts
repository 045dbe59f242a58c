import { DTMF_KEYS } from '../../core/flows/flow-types.js';
import type { LiveInput } from '../../core/telephony/call-turns.js';
import { LANGUAGES, DEFAULT_LANGUAGE, type Language } from '../../core/profile/customer-profile.js';
import { CALL_SID, shown } from './twilio-sids.js';
import { CallSidMissingError, WebhookParamError } from './webhook-errors.js';

/** Form fields (body) or query parameters of a Twilio webhook. */
export type TwilioParams = Record<string, unknown>;

/**
 * The one value of a parameter, or undefined when it is absent. Twilio sends each parameter
 * once; a repeated one (`Digits=1&Digits=2`) or a structured one (`Digits[a]=1`) is refused
 * rather than guessed at.
 */
export function singleParam(path: string, params: TwilioParams | undefined, name: string): string | undefined {
  const v = params?.[name];
  if (v === undefined || typeof v === 'string') return v;
  throw new WebhookParamError(path, name, Array.isArray(v) ? `is given ${v.length} times; Twilio sends it once` : 'is not a single value');
}

function callSidOf(path: string, body: TwilioParams): string {
  const sid = singleParam(path, body, 'CallSid')?.trim();
  if (!sid) throw new CallSidMissingError(path);
  if (!CALL_SID.test(sid)) throw new WebhookParamError(path, 'CallSid', `${shown(sid)} is not a Twilio call SID (CA followed by 32 hex digits)`);
  return sid;
}

/** A non-negative number Twilio reports (seconds, a queue position), or null when absent or unreadable. */
function amount(path: string, body: TwilioParams, name: string): number | null {
  const raw = singleParam(path, body, name);
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export interface IncomingCall {
  callSid: string;
  caller: string;
}

export function readIncoming(body: TwilioParams): IncomingCall {
  const path = '/voice/incoming';
  return { callSid: callSidOf(path, body), caller: singleParam(path, body, 'From')?.trim() ?? '' };
}

export type GatherEvent = { callSid: string; step: number } & ({ kind: 'input'; input: LiveInput } | { kind: 'hangup' });

/**
 * A <Gather> result: a key, an empty result (the window ran out, `actionOnEmptyResult`), the
 * fall-through redirect (`noInput=1`), or `Digits=hangup` when the caller hung up during it.
 */
export function readGather(body: TwilioParams, query: TwilioParams): GatherEvent {
  const path = '/voice/gather';
  const callSid = callSidOf(path, body);
  const rawStep = singleParam(path, query, 'step');
  const step = Number(rawStep);
  if (rawStep === undefined || !Number.isInteger(step) || step < 1) throw new WebhookParamError(path, 'step', `must be the step number of the action URL (got ${rawStep ?? 'nothing'})`);
  const digits = singleParam(path, body, 'Digits')?.trim() ?? '';
  if (singleParam(path, query, 'noInput') === '1' || digits === '') return { callSid, step, kind: 'input', input: { kind: 'noInput' } };
  if (digits === 'hangup') return { callSid, step, kind: 'hangup' };
  const key = digits[0]!;
  if (!(DTMF_KEYS as readonly string[]).includes(key)) throw new WebhookParamError(path, 'Digits', `"${digits}" is not a DTMF key`);
  return { callSid, step, kind: 'input', input: { kind: 'key', key } };
}

export interface StatusReport {
  callSid: string;
  callStatus: string;
  callDurationSec: number | null;
  queueTimeSec: number | null;
}

/** Statuses after which the call is over. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export function readStatus(body: TwilioParams): StatusReport {
  const path = '/voice/status';
  return {
    callSid: callSidOf(path, body),
    callStatus: singleParam(path, body, 'CallStatus') ?? '',
    callDurationSec: amount(path, body, 'CallDuration'),
    queueTimeSec: amount(path, body, 'QueueTime'),
  };
}

export interface HoldRequest {
  callSid: string;
  language: Language;
  position: number | null;
}

export function readHold(body: TwilioParams, query: TwilioParams): HoldRequest {
  const path = '/voice/hold';
  const lang = singleParam(path, query, 'lang');
  const position = amount(path, body, 'QueuePosition');
  return {
    callSid: callSidOf(path, body),
    language: (LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as Language) : DEFAULT_LANGUAGE,
    position: position === null ? null : Math.floor(position),
  };
}

export interface QueueResult {
  callSid: string;
  result: string;
  waitSec: number | null;
}

export function readQueueResult(body: TwilioParams): QueueResult {
  const path = '/voice/queue-result';
  return { callSid: callSidOf(path, body), result: singleParam(path, body, 'QueueResult') ?? '', waitSec: amount(path, body, 'QueueTime') };
}
