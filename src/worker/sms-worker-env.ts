import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultPaths } from '../core/configuration/configuration.js';
import { envReader } from '../infra/env/env-reader.js';
import { readRedisEnv } from '../infra/env/redis-env.js';
import { SEND_CHECKPOINTS, type SendCheckpoint } from '../core/sms/sms-dispatcher.js';
import type { SmsOrigin } from '../infra/sms/twilio-sms-sender.js';
import { NamedError } from '../core/errors/named-error.js';

/** Everything the SMS worker reads from the environment, read once at start-up. */
export interface SmsWorkerEnv {
  redis: { url: string; keyPrefix: string };
  twilio: { accountSid: string; authToken: string; origin: SmsOrigin; apiBaseUrl: string | null; timeoutMs: number };
  /** Where Twilio reaches the voice service (its /sms/status takes the delivery reports). */
  publicBaseUrl: string;
  ratePerSec: number;
  concurrency: number;
  /** How long a job's lock lasts: a dead worker's jobs are taken over after it (null: BullMQ's 30 s). */
  lockMs: number | null;
  /** Crash tests only: SIGKILL this process when the n-th message reaches the checkpoint. */
  crashAt: { point: SendCheckpoint; nth: number } | null;
  /** sms-templates.json and contact-policy.json. */
  rulesDir: string;
  logLevel: string;
}

export class SmsWorkerEnvError extends NamedError {
  readonly code = 'ENV_INVALID';
  constructor(readonly problems: string[]) {
    super(`the environment is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SmsWorkerEnvError';
  }
}

const HTTP_URL = /^https?:\/\/[^/?#]+(\/[^?#]*)?$/;

/** Reads and checks the worker's environment; throws SmsWorkerEnvError listing every problem. */
export function loadSmsWorkerEnv(env: NodeJS.ProcessEnv = process.env): SmsWorkerEnv {
  const problems: string[] = [];
  const read = envReader(env, problems);
  const { str, num } = read;

  const redis = readRedisEnv(read);

  const accountSid = str('TWILIO_ACCOUNT_SID') ?? '';
  if (!accountSid) problems.push('TWILIO_ACCOUNT_SID is not set: the account the texts are sent from (AC followed by 32 hex digits)');
  else if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) problems.push(`TWILIO_ACCOUNT_SID=${accountSid}: expected AC followed by 32 hex digits`);
  const authToken = str('TWILIO_AUTH_TOKEN') ?? '';
  if (!authToken) problems.push('TWILIO_AUTH_TOKEN is not set: the REST API is called with it');

  const from = str('TWILIO_SMS_FROM');
  const service = str('TWILIO_MESSAGING_SERVICE_SID');
  let origin: SmsOrigin = { from: '' };
  if (from && service) problems.push('TWILIO_SMS_FROM and TWILIO_MESSAGING_SERVICE_SID are both set: set one (a sender number or id, or a Messaging Service)');
  else if (service) {
    if (!/^MG[0-9a-f]{32}$/i.test(service)) problems.push(`TWILIO_MESSAGING_SERVICE_SID=${service}: expected MG followed by 32 hex digits`);
    origin = { messagingServiceSid: service };
  } else if (from) {
    if (!/^(\+[1-9]\d{6,14}|[A-Za-z0-9 ]{1,11})$/.test(from)) problems.push(`TWILIO_SMS_FROM=${from}: expected an E.164 number (+8610…) or an alphanumeric sender id of up to 11 characters`);
    origin = { from };
  } else {
    problems.push('neither TWILIO_SMS_FROM nor TWILIO_MESSAGING_SERVICE_SID is set: one says who the texts come from');
  }

  const apiBaseUrl = str('TWILIO_API_BASE_URL') ?? null;
  if (apiBaseUrl !== null && !HTTP_URL.test(apiBaseUrl)) problems.push(`TWILIO_API_BASE_URL=${apiBaseUrl}: expected an http(s) URL such as http://127.0.0.1:4010`);

  let publicBaseUrl = str('PUBLIC_BASE_URL') ?? '';
  if (!publicBaseUrl) problems.push('PUBLIC_BASE_URL is not set: the origin Twilio reaches the voice service at; delivery reports go to its /sms/status');
  else if (!HTTP_URL.test(publicBaseUrl)) problems.push(`PUBLIC_BASE_URL=${publicBaseUrl}: expected an http(s) URL without query or fragment`);
  publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');

  const rateRaw = str('SMS_RATE_PER_SEC');
  if (rateRaw === undefined) problems.push('SMS_RATE_PER_SEC is not set: messages per second the sender may send (Twilio: 1 for a long code, more for short codes and Messaging Services)');
  const ratePerSec = num('SMS_RATE_PER_SEC', 1, (n) => Number.isFinite(n) && n > 0 && n <= 10_000, 'a number of messages per second above 0 and at most 10000 (e.g. 1, 10, 0.5)');
  const concurrency = num('SMS_CONCURRENCY', 5, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number from 1 to 1000');
  const timeoutMs = num('TWILIO_TIMEOUT_MS', 15_000, (n) => Number.isInteger(n) && n >= 100 && n <= 120_000, 'a whole number of milliseconds from 100 to 120000');

  const lockRaw = str('SMS_LOCK_MS');
  const lockMs = lockRaw === undefined ? null : num('SMS_LOCK_MS', 30_000, (n) => Number.isInteger(n) && n >= 500 && n <= 600_000, 'a whole number of milliseconds from 500 to 600000');

  let crashAt: SmsWorkerEnv['crashAt'] = null;
  const crashRaw = str('SMS_WORKER_CRASH_AT');
  if (crashRaw !== undefined) {
    const [point, nth] = crashRaw.split(':');
    if (!SEND_CHECKPOINTS.includes(point as SendCheckpoint) || !/^[1-9]\d*$/.test(nth ?? '')) {
      problems.push(`SMS_WORKER_CRASH_AT=${crashRaw}: expected <checkpoint>:<n> with a checkpoint among ${SEND_CHECKPOINTS.join(', ')} and n a whole number from 1 (crash tests only)`);
    } else crashAt = { point: point as SendCheckpoint, nth: Number(nth) };
  }

  const rulesDir = resolve(str('RULES_DIR') ?? defaultPaths().rulesDir);
  if (!existsSync(rulesDir) || !statSync(rulesDir).isDirectory()) problems.push(`RULES_DIR: ${rulesDir} is not a directory`);

  const logLevel = read.logLevel();

  if (problems.length) throw new SmsWorkerEnvError(problems);
  return {
    redis,
    twilio: { accountSid, authToken, origin, apiBaseUrl, timeoutMs },
    publicBaseUrl,
    ratePerSec,
    concurrency,
    lockMs,
    crashAt,
    rulesDir,
    logLevel,
  };
}
