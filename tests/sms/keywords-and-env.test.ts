import { describe, expect, it } from 'vitest';
import { keywordActionOf } from '../../src/core/sms/opt-out-keywords.js';
import { loadSmsWorkerEnv, SmsWorkerEnvError } from '../../src/worker/sms-worker-env.js';

describe('keywords in a customer\'s text', () => {
  it.each(['STOP', 'stop', ' Stop! ', 'STOPALL', 'unsubscribe', 'CANCEL', 'end', 'QUIT', 'TD', 'td', '退订', '退订。', 'ＳＴＯＰ'])('"%s" opts out', (body) => {
    expect(keywordActionOf(body)).toBe('opt-out');
  });
  it.each(['START', 'start', 'UNSTOP', 'Yes.'])('"%s" opts back in', (body) => {
    expect(keywordActionOf(body)).toBe('opt-in');
  });
  it.each(['please stop calling', 'STOP IT', 'JY', '5G', '', 'yesterday'])('"%s" is not a keyword', (body) => {
    expect(keywordActionOf(body)).toBeNull();
  });
});

describe('the SMS worker environment', () => {
  const good = {
    TWILIO_ACCOUNT_SID: 'AC' + 'a1'.repeat(16),
    TWILIO_AUTH_TOKEN: 'secret',
    TWILIO_SMS_FROM: '+8610086',
    PUBLIC_BASE_URL: 'https://ivr.example.test/',
    SMS_RATE_PER_SEC: '10',
  };

  it('is read once into a typed config, with defaults for what may be left out', () => {
    expect(loadSmsWorkerEnv(good)).toMatchObject({
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'ivr-sim:' },
      twilio: { origin: { from: '+8610086' }, apiBaseUrl: null, timeoutMs: 15_000 },
      publicBaseUrl: 'https://ivr.example.test',
      ratePerSec: 10,
      concurrency: 5,
    });
    const viaService = loadSmsWorkerEnv({ ...good, TWILIO_SMS_FROM: '', TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'c3'.repeat(16), TWILIO_API_BASE_URL: 'http://127.0.0.1:4010' });
    expect(viaService.twilio).toMatchObject({ origin: { messagingServiceSid: 'MG' + 'c3'.repeat(16) }, apiBaseUrl: 'http://127.0.0.1:4010' });
  });

  it('fails listing everything that is wrong, not just the first thing', () => {
    let err: SmsWorkerEnvError | undefined;
    try {
      loadSmsWorkerEnv({ TWILIO_ACCOUNT_SID: 'nope', SMS_RATE_PER_SEC: 'fast', REDIS_URL: 'localhost', TWILIO_API_BASE_URL: 'ftp://x' });
    } catch (e) {
      err = e as SmsWorkerEnvError;
    }
    expect(err).toBeInstanceOf(SmsWorkerEnvError);
    expect(err!.code).toBe('ENV_INVALID');
    expect(err!.problems).toEqual([
      'REDIS_URL: expected redis://host:port or rediss://host:port',
      'TWILIO_ACCOUNT_SID=nope: expected AC followed by 32 hex digits',
      'TWILIO_AUTH_TOKEN is not set: the REST API is called with it',
      'neither TWILIO_SMS_FROM nor TWILIO_MESSAGING_SERVICE_SID is set: one says who the texts come from',
      'TWILIO_API_BASE_URL=ftp://x: expected an http(s) URL such as http://127.0.0.1:4010',
      'PUBLIC_BASE_URL is not set: the origin Twilio reaches the voice service at; delivery reports go to its /sms/status',
      'SMS_RATE_PER_SEC=fast: expected a number of messages per second above 0 and at most 10000 (e.g. 1, 10, 0.5)',
    ]);
  });

  it('SMS_LOCK_MS sets how soon a dead worker\'s jobs are taken over; SMS_WORKER_CRASH_AT names a checkpoint and a count, or is refused', () => {
    expect(loadSmsWorkerEnv(good)).toMatchObject({ lockMs: null, crashAt: null });
    expect(loadSmsWorkerEnv({ ...good, SMS_LOCK_MS: '2000', SMS_WORKER_CRASH_AT: 'answered:150' })).toMatchObject({ lockMs: 2000, crashAt: { point: 'answered', nth: 150 } });
    let err: SmsWorkerEnvError | undefined;
    try {
      loadSmsWorkerEnv({ ...good, SMS_LOCK_MS: '10', SMS_WORKER_CRASH_AT: 'halfway:3' });
    } catch (e) {
      err = e as SmsWorkerEnvError;
    }
    expect(err!.problems).toEqual([
      'SMS_LOCK_MS=10: expected a whole number of milliseconds from 500 to 600000',
      'SMS_WORKER_CRASH_AT=halfway:3: expected <checkpoint>:<n> with a checkpoint among reserved, answered, marked, counted and n a whole number from 1 (crash tests only)',
    ]);
    expect(() => loadSmsWorkerEnv({ ...good, SMS_WORKER_CRASH_AT: 'marked:0' })).toThrow(/SMS_WORKER_CRASH_AT=marked:0/);
  });

  it('refuses both a sender number and a Messaging Service', () => {
    expect(() => loadSmsWorkerEnv({ ...good, TWILIO_MESSAGING_SERVICE_SID: 'MG' + 'c3'.repeat(16) })).toThrow(/both set/);
  });
});
