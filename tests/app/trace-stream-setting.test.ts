import { describe, expect, it } from 'vitest';
import { AppEnvError, loadAppEnv } from '../../src/app/config/app-env.js';
import { traceStreamKey } from '../../src/cli/commands/export-trace.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';

const good = { PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadAppEnv(env);
  } catch (err) {
    if (err instanceof AppEnvError) return err.problems;
    throw err;
  }
  return [];
}

describe('TRACE_STREAM set as the whole key, as it was before it moved under REDIS_KEY_PREFIX', () => {
  it('stops the service at start-up, saying what to set instead, rather than recording under the prefix twice', () => {
    expect(problemsOf({ ...good, TRACE_STREAM: 'ivr-sim:trace' })).toEqual([
      "TRACE_STREAM=ivr-sim:trace: now the stream's name under REDIS_KEY_PREFIX (ivr-sim:), not the whole key; set TRACE_STREAM=trace",
    ]);
    expect(problemsOf({ ...good, REDIS_KEY_PREFIX: 'hotline:', TRACE_STREAM: 'hotline:calls' })).toEqual([
      "TRACE_STREAM=hotline:calls: now the stream's name under REDIS_KEY_PREFIX (hotline:), not the whole key; set TRACE_STREAM=calls",
    ]);
  });

  it('takes a plain name as before', () => {
    expect(loadAppEnv({ ...good, TRACE_STREAM: 'calls' }).traceStream.key).toBe('ivr-sim:calls');
    expect(loadAppEnv({ ...good, REDIS_KEY_PREFIX: 'hotline:', TRACE_STREAM: 'ivr-sim:trace' }).traceStream.key).toBe('hotline:ivr-sim:trace');
  });

  it('is refused by export-trace the same way, which points to --stream for a whole key', () => {
    expect(() => traceStreamKey(undefined, { TRACE_STREAM: 'ivr-sim:trace' })).toThrow(
      "TRACE_STREAM=ivr-sim:trace: now the stream's name under REDIS_KEY_PREFIX (ivr-sim:), not the whole key; set TRACE_STREAM=trace (or name the whole key with --stream)",
    );
    expect(traceStreamKey('hotline:', { TRACE_STREAM: 'calls' })).toBe('hotline:calls');
  });
});
