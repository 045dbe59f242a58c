import { rmSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEnvError, loadAppEnv } from '../../src/app/config/app-env.js';
import { RedisCallStateStore } from '../../src/app/telephony/redis-call-state-store.js';
import { startLiveCall } from '../../src/core/telephony/call-turns.js';
import { liveConfigurationOf } from '../../src/core/telephony/config-versions.js';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { callSid, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, twilioPost } from '../helpers/twilio.js';
import { driveCall } from './call-driver.js';
import { startService, type Harness } from './harness.js';

describe('start-up configuration from the environment', () => {
  const good = { PUBLIC_BASE_URL: 'https://ivr.example.com/', TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID };

  it('reads defaults for everything optional', () => {
    const env = loadAppEnv(good);
    expect(env).toMatchObject({
      port: 3000,
      publicBaseUrl: 'https://ivr.example.com',
      redis: { url: 'redis://127.0.0.1:6379' },
      twilio: { workflowSid: null, signatureValidation: true },
      callStateTtlSec: 14_400,
      traceStream: { key: 'ivr-sim:trace' },
    });
    expect(env.configPaths.flowsDir).toMatch(/flows$/);
  });

  it('lists every problem at once instead of stopping at the first', () => {
    let error: AppEnvError | undefined;
    try {
      loadAppEnv({ PORT: 'eighty', TWILIO_ACCOUNT_SID: 'nope', TWILIO_WORKFLOW_SID: 'WW1', CALL_STATE_TTL_SEC: '5', REDIS_URL: 'localhost:6379', FLOWS_DIR: '/no/such/dir' });
    } catch (err) {
      error = err as AppEnvError;
    }
    expect(error).toBeInstanceOf(AppEnvError);
    expect(error!.code).toBe('ENV_INVALID');
    const text = error!.problems.join('\n');
    for (const name of ['PORT', 'PUBLIC_BASE_URL', 'TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID', 'TWILIO_WORKFLOW_SID', 'CALL_STATE_TTL_SEC', 'REDIS_URL', 'FLOWS_DIR']) {
      expect(text).toContain(name);
    }
  });

  it('does not ask for the auth token when signature checks are explicitly off', () => {
    expect(loadAppEnv({ ...good, TWILIO_AUTH_TOKEN: '', TWILIO_SIGNATURE_VALIDATION: 'off' }).twilio.signatureValidation).toBe(false);
    expect(() => loadAppEnv({ ...good, TWILIO_SIGNATURE_VALIDATION: 'maybe' })).toThrow(/TWILIO_SIGNATURE_VALIDATION/);
  });
});

describe('call state in Redis', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('state', { CALL_STATE_TTL_SEC: '900' });
  });
  afterAll(() => h.close());

  it('keeps each call under its CallSid with the configured TTL, and nothing in the service between webhooks', async () => {
    const sid = callSid(1);
    await twilioPost(h.server, '/voice/incoming', { CallSid: sid, From: '+8613800000001' }).expect(200);
    const key = `${h.prefix}call:${sid}`;
    const ttl = await h.redis.ttl(key);
    expect(ttl).toBeGreaterThan(890);
    expect(ttl).toBeLessThanOrEqual(900);
    const stored = JSON.parse((await h.redis.hget(key, 's'))!) as Record<string, any>;
    expect(stored).toMatchObject({ callSid: sid, step: 1, segment: { id: 'vip-diamond' }, ivr: { snapshot: { status: 'active', value: { menu: 'welcome' } } } });
    // Another instance (here: a second service on the same Redis) carries the call on.
    const other = await startService('state-other', { REDIS_KEY_PREFIX: h.prefix });
    try {
      const res = await twilioPost(other.server, '/voice/gather?step=1', { CallSid: sid, Digits: '0' }).expect(200);
      expect(res.text).toContain('<Enqueue');
      expect(res.text).toContain('vip-diamond');
    } finally {
      await other.stop();
      rmSync(other.spoolDir, { recursive: true, force: true });
    }
  });

  it('compares and sets by version: a writer holding an old version loses', async () => {
    const store = new RedisCallStateStore(h.redis, h.prefix);
    const state = startLiveCall(liveConfigurationOf(loadConfiguration()), { callSid: callSid(2), caller: '+8613800000300', nowMs: 0 });
    expect(await store.compareAndSet(callSid(2), 1, state, 60)).toBe(false);
    expect(await store.compareAndSet(callSid(2), 0, state, 60)).toBe(true);
    expect(await store.compareAndSet(callSid(2), 0, state, 60)).toBe(false);
    expect(await store.compareAndSet(callSid(2), 1, { ...state, step: 2 }, 60)).toBe(true);
    expect(await store.get(callSid(2))).toMatchObject({ version: 2, value: { step: 2 } });
    expect(await store.get(callSid(3))).toBeNull();
  });
});

describe('logging', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('logging');
  });
  afterAll(() => h.close());

  it('writes one JSON line per webhook with CallSid, state and latency, the caller masked, no secrets', async () => {
    const sid = callSid(4);
    const caller = '+8613800000001';
    const call = await driveCall(h, sid, caller, [{ key: '0' }]);
    const lines = h.logs.filter((l) => l['callSid'] === sid);
    expect(lines).toHaveLength(call.responses.length);
    expect(lines.map((l) => l['webhook'])).toEqual(['/voice/incoming', '/voice/gather']);
    for (const l of lines) {
      expect(l).toMatchObject({ level: 30, msg: 'webhook', status: 200 });
      expect(typeof l['latencyMs']).toBe('number');
      expect(typeof l['state']).toBe('string');
    }
    expect(lines[0]!['caller']).toBe('+86138****0001');
    expect(lines[1]).toMatchObject({ state: 'handoff', outcome: 'handoff', queue: 'vip-diamond' });
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain('8613800000001');
    expect(all).not.toContain(TEST_AUTH_TOKEN);
  });

  it('reports the loaded configuration on /health', async () => {
    const res = await request(h.server).get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', redis: { ok: true }, config: { lastError: null, reloads: 0 }, signatureValidation: true });
    expect(res.body.config.flows.map((f: { segment: string }) => f.segment).sort()).toEqual(
      ['4g', 'campus', 'high-data', 'standard', 'vip-card', 'vip-diamond', 'vip-gold', 'vip-silver'],
    );
  });
});
