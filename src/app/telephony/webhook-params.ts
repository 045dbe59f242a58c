import { DTMF_KEYS } from '../../core/flows/flow-types.js';
import type { LiveInput } from '../../core/live/live-call.js';
import { LANGUAGES, DEFAULT_LANGUAGE, type Language } from '../../core/profile/customer-profile.js';
import { CallSidMissingError, WebhookParamError } from './webhook-errors.js';

/** Form fields (body) or query parameters of a Twilio webhook. */
export type TwilioParams = Record<string, unknown>;

function text(params: TwilioParams | undefined, name: string): string | undefined {
  const v = params?.[name];
  return typeof v === 'string' ? v : undefined;
}

function callSidOf(path: string, body: TwilioParams): string {
  const sid = text(body, 'CallSid')?.trim();
  if (!sid) throw new CallSidMissingError(path);
  return sid;
}

/** A non-negative number Twilio reports (seconds, a queue position), or null when absent or unreadable. */
function amount(body: TwilioParams, name: string): number | null {
  const raw = text(body, name);
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

export interface IncomingCall {
  callSid: string;
  caller: string;
}

export function readIncoming(body: TwilioParams): IncomingCall {
  return { callSid: callSidOf('/voice/incoming', body), caller: text(body, 'From')?.trim() ?? '' };
}

export type GatherEvent = { callSid: string; step: number } & ({ kind: 'input'; input: LiveInput } | { kind: 'hangup' });

/**
 * A <Gather> result: a key, an empty result (the window ran out, `actionOnEmptyResult`), the
 * fall-through redirect (`noInput=1`), or `Digits=hangup` when the caller hung up during it.
 */
export function readGather(body: TwilioParams, query: TwilioParams): GatherEvent {
  const path = '/voice/gather';
  const callSid = callSidOf(path, body);
  const rawStep = text(query, 'step');
  const step = Number(rawStep);
  if (rawStep === undefined || !Number.isInteger(step) || step < 1) throw new WebhookParamError(path, 'step', `must be the step number of the action URL (got ${rawStep ?? 'nothing'})`);
  const digits = text(body, 'Digits')?.trim() ?? '';
  if (text(query, 'noInput') === '1' || digits === '') return { callSid, step, kind: 'input', input: { kind: 'noInput' } };
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
  return {
    callSid: callSidOf('/voice/status', body),
    callStatus: text(body, 'CallStatus') ?? '',
    callDurationSec: amount(body, 'CallDuration'),
    queueTimeSec: amount(body, 'QueueTime'),
  };
}

export interface HoldRequest {
  callSid: string;
  language: Language;
  position: number | null;
}

export function readHold(body: TwilioParams, query: TwilioParams): HoldRequest {
  const lang = text(query, 'lang');
  const position = amount(body, 'QueuePosition');
  return {
    callSid: callSidOf('/voice/hold', body),
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
  return { callSid: callSidOf('/voice/queue-result', body), result: text(body, 'QueueResult') ?? '', waitSec: amount(body, 'QueueTime') };
}
