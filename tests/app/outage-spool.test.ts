import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TraceLine } from '../../src/core/trace/trace-line.js';
import { RedisContactLedger } from '../../src/infra/sms/redis-contact-ledger.js';
import { smsKeyPrefixes } from '../../src/infra/sms/sms-queue.js';
import { TEST_ACCOUNT_SID, twilioPost } from '../helpers/twilio.js';
import { elements, parseXml } from '../helpers/xml.js';
import { driveCall } from './call-driver.js';
import { startService, type Harness } from './harness.js';
import { RedisLink } from './redis-link.js';

const EMPTY_RESPONSE = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
const callSid = (n: number) => 'CA' + (0xc0ffee00 + n).toString(16).padStart(32, '0');
const messageSid = (n: number) => 'SM' + (0x5e000000 + n).toString(16).padStart(32, '0');

describe('nothing is lost while Redis is unreachable, not even across a restart of the instance', () => {
  const link = new RedisLink();
  let first: Harness | undefined;
  let second: Harness | undefined;
  let texts = 0;

  beforeEach(() => link.open());
  afterEach(async () => {
    await (second ?? first)?.close();
    first = second = undefined;
    await link.cut().catch(() => undefined);
  });

  /** An instance whose Redis goes through the link; `takeOver` restarts `first` (same spool directory and keys). */
  const start = (takeOver?: Harness) =>
    startService('outage-spool', { REDIS_URL: `redis://127.0.0.1:${link.port}`, REDIS_COMMAND_TIMEOUT_MS: '300', SPOOL_NAME: 'voice-1', SPOOL_RETRY_MS: '100' }, takeOver ? { takeOver } : {});
  const spoolFile = (h: Harness) => join(h.spoolDir, 'voice-1.jsonl');
  const spooled = (h: Harness) => readFileSync(spoolFile(h), 'utf8').split('\n').filter(Boolean).length;
  const drained = (h: Harness) => vi.waitFor(() => expect(readFileSync(spoolFile(h), 'utf8')).toBe(''), { timeout: 15_000, interval: 100 });
  const text = (h: Harness, from: string, body: string) =>
    twilioPost(h.server, '/sms/inbound', { AccountSid: TEST_ACCOUNT_SID, MessageSid: messageSid(++texts), From: from, To: '+8610086', Body: body });
  const optedOut = (h: Harness, phone: string) => new RedisContactLedger(h.redis, smsKeyPrefixes(h.prefix).sms).isOptedOut(phone);

  it('applies STOP, TD, 退订 and START texted during the outage, in the order they came, once Redis is back', async () => {
    first = await start();
    await text(first, '+8613800000004', 'STOP').expect(200);
    expect(await optedOut(first, '+8613800000004')).toBe(true);

    await link.cut();
    const stop = await text(first, '+8613800000001', 'STOP').expect(200);
    expect(stop.headers['content-type']).toMatch(/^text\/xml/);
    expect(stop.text).toBe(EMPTY_RESPONSE);
    await text(first, '+8613800000002', 'td').expect(200);
    await text(first, '+8613800000002', 'START').expect(200);
    await text(first, '+8613800000003', '退订').expect(200);
    await text(first, '+8613800000004', 'START').expect(200);
    await text(first, '+8613800000004', 'hello').expect(200);
    expect(spooled(first)).toBe(5);
    expect((await request(first.server).get('/health').expect(503)).body.spool).toEqual({ waiting: 5 });

    await first.stop();
    second = await start(first);
    await text(second, '+8613800000005', 'Stop!').expect(200).expect(EMPTY_RESPONSE);
    await link.open();
    await drained(second);

    expect(await optedOut(second, '+8613800000001')).toBe(true);
    expect(await optedOut(second, '+8613800000002')).toBe(false);
    expect(await optedOut(second, '+8613800000003')).toBe(true);
    expect(await optedOut(second, '+8613800000004')).toBe(false);
    expect(await optedOut(second, '+8613800000005')).toBe(true);
    expect((await request(second.internal).get('/sms/stats').expect(200)).body.optedOut).toBe(3);
    // With nothing waiting, a keyword goes straight to Redis again.
    await text(second, '+8613800000002', 'STOP').expect(200);
    expect(await optedOut(second, '+8613800000002')).toBe(true);
    expect(spooled(second)).toBe(0);
    expect((await request(second.server).get('/health').expect(200)).body.spool).toEqual({ waiting: 0 });
  });

  it('records a call that ended during the outage exactly once, with the time Twilio reported it', async () => {
    first = await start();
    const handedOff = callSid(1);
    await driveCall(first, handedOff, '+8613800000300', [{ key: '0' }]);
    const hungUp = callSid(2);
    await twilioPost(first.server, '/voice/incoming', { CallSid: hungUp, From: '+8613800000300' }).expect(200);
    const wait = (await first.store.get(hungUp))!.value.wait!;

    await link.cut();
    const status = { CallSid: handedOff, CallStatus: 'completed', CallDuration: '95' };
    expect((await twilioPost(first.server, '/voice/status', status).expect(200)).text).toBe(EMPTY_RESPONSE);
    await twilioPost(first.server, '/voice/status', status).expect(200); // Twilio's own retry
    first.clock.set(wait.promptsStartMs + 6_000);
    await twilioPost(first.server, '/voice/status', { CallSid: hungUp, CallStatus: 'completed', CallDuration: '6' }).expect(200).expect(EMPTY_RESPONSE);
    expect(spooled(first)).toBe(3);
    expect(first.logs.filter((l) => l['webhook'] === '/voice/status' && l['spooled'] !== undefined)).toHaveLength(3);

    await first.stop();
    second = await start(first);
    await link.open();
    await drained(second);

    const lines = (await second.redis.xrange(`${second.prefix}trace`, '-', '+')).map(([, f]) => JSON.parse(f[f.indexOf('line') + 1]!) as TraceLine);
    expect(lines.map((l) => l.callId).sort()).toEqual([handedOff, hungUp]);
    expect(lines.find((l) => l.callId === handedOff)!.observed).toMatchObject({ outcome: 'handoff', callStatus: 'completed', callSec: 95 });
    expect(lines.find((l) => l.callId === hungUp)).toMatchObject({ hangupInIvrSec: 6, observed: { outcome: 'hangup' } });

    // A replay of the callback now records nothing more; a replay of the call is hung up.
    await twilioPost(second.server, '/voice/status', status).expect(200);
    expect(await second.redis.xlen(`${second.prefix}trace`)).toBe(2);
    const replay = parseXml((await twilioPost(second.server, '/voice/incoming', { CallSid: handedOff, From: '+8613800000300' }).expect(200)).text);
    expect(elements(replay).map((e) => e.name)).toEqual(['Hangup']);
  });

  it('keeps the line itself when the call state can be read but the stream cannot take it, and adds it once', async () => {
    first = await start();
    const call = callSid(3);
    await driveCall(first, call, '+8613800000300', [{ key: '0' }]);
    const stream = `${first.prefix}trace`;
    await first.redis.set(stream, 'not a stream'); // XADD now fails with WRONGTYPE
    const status = { CallSid: call, CallStatus: 'completed', CallDuration: '40' };
    await twilioPost(first.server, '/voice/status', status).expect(200).expect(EMPTY_RESPONSE);
    await twilioPost(first.server, '/voice/status', status).expect(200).expect(EMPTY_RESPONSE);
    const waiting = readFileSync(spoolFile(first), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { v: { kind: string } });
    expect(waiting.map((e) => e.v.kind)).toEqual(['trace-line', 'call-report']);
    expect(await first.redis.exists(`${first.prefix}done:${call}`)).toBe(0);

    await first.redis.del(stream);
    await drained(first);
    const lines = await first.redis.xrange(stream, '-', '+');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]![1][1]!)).toMatchObject({ callId: call, observed: { callSec: 40 } });
  });
});
