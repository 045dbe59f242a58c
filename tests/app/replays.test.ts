import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppEnv } from '../../src/app/config/app-env.js';
import { bufferIO } from '../../src/cli/cli-io.js';
import { registerExportTraceCommand, traceStreamKey } from '../../src/cli/commands/export-trace.js';
import type { TraceLine } from '../../src/core/trace/trace-line.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL, twilioPost, type FormParams } from '../helpers/twilio.js';
import { find, parseXml } from '../helpers/xml.js';
import { driveCall } from './call-driver.js';
import { REDIS_URL, startService, type Harness } from './harness.js';

const HANGUP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';

describe('replayed requests for a finished call change nothing', () => {
  let h: Harness;
  let n = 0;
  const newSid = () => 'CA' + (0xa11ce000 + ++n).toString(16).padStart(32, '0');
  const lines = async (callSid: string): Promise<TraceLine[]> =>
    (await h.redis.xrange(`${h.prefix}trace`, '-', '+')).map(([, f]) => JSON.parse(f[f.indexOf('line') + 1]!) as TraceLine).filter((l) => l.callId === callSid);
  /** What Redis expiring the call state (CALL_STATE_TTL_SEC after its last write) leaves behind. */
  const expireState = (callSid: string) => h.redis.del(`${h.prefix}call:${callSid}`);

  beforeAll(async () => {
    h = await startService('replays', { CALL_TOMBSTONE_TTL_SEC: '7200' });
  });
  afterAll(() => h.close());

  async function finishedCall(): Promise<{ call: FormParams; status: FormParams }> {
    const callSid = newSid();
    await driveCall(h, callSid, '+8613800000300', [{ key: '0' }]);
    const status = { CallSid: callSid, AccountSid: TEST_ACCOUNT_SID, CallStatus: 'completed', CallDuration: '80' };
    await twilioPost(h.server, '/voice/status', status).expect(200);
    expect(await lines(callSid)).toHaveLength(1);
    return { call: { CallSid: callSid, AccountSid: TEST_ACCOUNT_SID, From: '+8613800000300' }, status };
  }

  it('hangs up on a replayed incoming call, before and after its state expired, and starts nothing', async () => {
    const { call } = await finishedCall();
    const version = await h.redis.hget(`${h.prefix}call:${call['CallSid']}`, 'v');
    expect((await twilioPost(h.server, '/voice/incoming', call).expect(200)).text).toBe(HANGUP);
    expect(await h.redis.hget(`${h.prefix}call:${call['CallSid']}`, 'v')).toBe(version);

    await expireState(call['CallSid']!);
    expect((await twilioPost(h.server, '/voice/incoming', call).expect(200)).text).toBe(HANGUP);
    expect(await h.redis.exists(`${h.prefix}call:${call['CallSid']}`)).toBe(0);
    expect((await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200)).text).toBe(HANGUP);
    expect(h.logs.filter((l) => l['callSid'] === call['CallSid'] && l['reply'] === 'finished')).toHaveLength(3);
  });

  it('records nothing twice for a replayed call and status callback, before and after the state expired', async () => {
    const { call, status } = await finishedCall();
    await twilioPost(h.server, '/voice/status', status).expect(200);
    await expireState(status['CallSid']!);
    await twilioPost(h.server, '/voice/incoming', call).expect(200);
    await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '0' }).expect(200);
    await twilioPost(h.server, '/voice/status', status).expect(200);
    expect(await lines(status['CallSid']!)).toHaveLength(1);
  });

  it('remembers a recorded call for CALL_TOMBSTONE_TTL_SEC; past it, a replay is a new call', async () => {
    const { call } = await finishedCall();
    const tombstone = `${h.prefix}done:${call['CallSid']}`;
    const ttl = await h.redis.ttl(tombstone);
    expect(ttl).toBeGreaterThan(7190);
    expect(ttl).toBeLessThanOrEqual(7200);

    await expireState(call['CallSid']!);
    await h.redis.del(tombstone);
    const again = parseXml((await twilioPost(h.server, '/voice/incoming', call).expect(200)).text);
    expect(find(again, 'Gather')!.attrs['action']).toBe(`${TEST_BASE_URL}/voice/gather?step=1`);
  });

  it('answers an incoming call Twilio retries mid-call with the turn the call is at, not a restart', async () => {
    const call = { CallSid: newSid(), From: '+8613800000300' };
    const first = await twilioPost(h.server, '/voice/incoming', call).expect(200);
    const second = await twilioPost(h.server, '/voice/gather?step=1', { ...call, Digits: '2' }).expect(200);
    expect(second.text).not.toBe(first.text);
    const retried = await twilioPost(h.server, '/voice/incoming', call).expect(200);
    expect(retried.text).toBe(second.text);
    expect(find(parseXml(retried.text), 'Gather')!.attrs['action']).toBe(`${TEST_BASE_URL}/voice/gather?step=2`);
    expect((await h.store.get(call.CallSid))!.version).toBe(2);
  });
});

describe('the trace stream lives under REDIS_KEY_PREFIX', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('trace-prefix', { TRACE_STREAM: 'calls-recorded' });
  });
  afterAll(() => h.close());

  it('records into <REDIS_KEY_PREFIX><TRACE_STREAM>, where export-trace looks by default', async () => {
    expect(h.env.traceStream.key).toBe(`${h.prefix}calls-recorded`);
    const callSid = 'CA' + 'ab'.repeat(16);
    await driveCall(h, callSid, '+8613800000300', [{ key: '0' }]);
    await twilioPost(h.server, '/voice/status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '30' }).expect(200);
    expect(await h.redis.xlen(`${h.prefix}calls-recorded`)).toBe(1);

    expect(traceStreamKey(undefined, { REDIS_KEY_PREFIX: h.prefix, TRACE_STREAM: 'calls-recorded' })).toBe(`${h.prefix}calls-recorded`);
    expect(traceStreamKey(undefined, {})).toBe('ivr-sim:trace');
    expect(traceStreamKey('other:', { REDIS_KEY_PREFIX: h.prefix })).toBe('other:trace');

    const io = bufferIO();
    const program = new Command('ivr-sim').exitOverride();
    registerExportTraceCommand(program, io);
    const saved = process.env['TRACE_STREAM'];
    process.env['TRACE_STREAM'] = 'calls-recorded';
    try {
      await program.parseAsync(['export-trace', '--from-redis', '--redis-url', REDIS_URL, '--prefix', h.prefix], { from: 'user' });
    } finally {
      if (saved === undefined) delete process.env['TRACE_STREAM'];
      else process.env['TRACE_STREAM'] = saved;
    }
    expect((JSON.parse(io.stdout.trim()) as TraceLine).callId).toBe(callSid);
    expect(io.stderr).toContain(`exported 1 call from ${h.prefix}calls-recorded`);
  });

  it('reads the defaults: the stream is ivr-sim:trace, tombstones last a day, the spool is ./spool/<host>-<port>.jsonl', () => {
    const env = loadAppEnv({ PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, PORT: '3002' });
    expect(env.traceStream.key).toBe('ivr-sim:trace');
    expect(env.callTombstoneTtlSec).toBe(86_400);
    expect(env.spool.dir).toBe(`${process.cwd()}/spool`);
    expect(env.spool.name).toMatch(/-3002$/);
    expect(() => loadAppEnv({ PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, SPOOL_NAME: '../x', CALL_TOMBSTONE_TTL_SEC: '5' })).toThrow(
      /SPOOL_NAME=\.\.\/x[\s\S]*CALL_TOMBSTONE_TTL_SEC=5/,
    );
  });
});
