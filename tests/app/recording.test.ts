import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { registerExportTraceCommand } from '../../src/cli/commands/export-trace.js';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import type { KeyPress } from '../../src/core/flows/key-presses.js';
import type { TraceLine } from '../../src/core/trace/trace-line.js';
import { checkTraceLine } from '../../src/core/trace/trace-line-check.js';
import { readTrace } from '../../src/core/trace/trace-reader.js';
import { callSid, twilioPost } from '../helpers/twilio.js';
import { driveCall } from './call-driver.js';
import { REDIS_URL, startService, type Harness } from './harness.js';

/** `ivr-sim export-trace …` with its output captured; the exit code as the CLI would give it. */
async function exportTrace(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIO();
  const program = new Command('ivr-sim').exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  registerExportTraceCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  let code = 0;
  try {
    await program.parseAsync(['export-trace', ...args], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : 2;
    else if (typeof (err as { exitCode?: unknown }).exitCode === 'number') {
      code = (err as { exitCode: number }).exitCode;
      io.err(`ivr-sim: ${(err as Error).message}\n`);
    } else throw err;
  }
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('every completed live call is recorded as a replayable trace line', () => {
  let h: Harness;
  let decider: CallDecider;
  let n = 0;
  const sid = () => callSid(++n);
  const stream = () => `${h.prefix}trace`;
  const recorded = async (): Promise<TraceLine[]> => (await h.redis.xrange(stream(), '-', '+')).map(([, f]) => JSON.parse(f[f.indexOf('line') + 1]!) as TraceLine);

  beforeAll(async () => {
    h = await startService('recording');
    decider = new CallDecider(loadConfiguration());
  });
  afterAll(() => h.close());

  it('records a handed-off call once, with its keys, what was observed and the wait and talk time Twilio reported', async () => {
    const caller = '+8613800000001';
    const callSid = sid();
    const arrival = new Date(h.clock.now()).toISOString();
    await driveCall(h, callSid, caller, [{ key: '3', afterSec: 4.2 }, { key: '0' }]);
    const state = (await h.store.get(callSid))!.value;
    const ivrWallSec = (state.ended!.endedMs - state.arrivalMs) / 1000;
    await twilioPost(h.server, '/voice/queue-result', { CallSid: callSid, QueueResult: 'bridged', QueueTime: '12' }).expect(200);
    const status = { CallSid: callSid, CallStatus: 'completed', CallDuration: String(Math.ceil(ivrWallSec) + 12 + 90) };
    await twilioPost(h.server, '/voice/status', status).expect(200);
    await twilioPost(h.server, '/voice/status', status).expect(200); // Twilio retries: still one line

    const lines = (await recorded()).filter((l) => l.callId === callSid);
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    const decision = state.turn.end!.decision!;
    expect(line).toMatchObject({
      callId: callSid,
      arrivalTime: arrival,
      caller,
      language: 'zh-CN',
      observed: {
        segment: 'vip-diamond',
        outcome: 'handoff',
        queue: decision.route!.queue,
        priority: decision.route!.priority,
        configVersion: decision.configVersion,
        waitSec: 12,
        answered: true,
      },
    });
    expect((line.keys as KeyPress[]).map((k) => k.key)).toEqual(['3', '0']);
    expect((line.keys as KeyPress[])[0]!.afterSec).toBe(4.2);
    expect(line.talkSec).toBeCloseTo(Math.ceil(ivrWallSec) + 90 - ivrWallSec, 1);
    expect(line.observed?.['talkSecFrom']).toBe('measured');
    expect(line.hangupInIvrSec).toBeUndefined();
    expect(checkTraceLine(line)).toMatchObject({ ok: true });

    // Replaying the line decides the call as it was decided live.
    const replayed = decider.decide({ callId: line.callId, caller: line.caller!, keys: line.keys as KeyPress[] });
    expect(replayed).toEqual(decision);
  });

  it('records a caller who hung up in the IVR with the time they hung up', async () => {
    const callSid = sid();
    const caller = '+8613800000300';
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: caller }).expect(200);
    const wait = (await h.store.get(callSid))!.value.wait!;
    h.clock.set(wait.promptsStartMs + 6_000);
    await twilioPost(h.server, '/voice/status', { CallSid: callSid, CallStatus: 'completed', CallDuration: '6' }).expect(200);
    const line = (await recorded()).find((l) => l.callId === callSid)!;
    // The trace format wants a talk time on every line: the segment's mean from the caller-behaviour model.
    expect(line).toMatchObject({ caller, keys: [], hangupInIvrSec: 6, talkSec: 260, observed: { outcome: 'hangup', segment: 'standard', finalState: 'menu.welcome', talkSecFrom: 'assumed' } });
    expect(checkTraceLine(line)).toMatchObject({ ok: true });
    const replayed = decider.decide({ callId: callSid, caller, keys: [], hangupInIvrSec: line.hangupInIvrSec! });
    expect(replayed.flow).toMatchObject({ outcome: 'hangup', finalState: 'menu.welcome', ivrSec: 6 });
  });

  it('records a self-served call without a queue, and a caller who gave up waiting with their patience', async () => {
    const selfServed = sid();
    await driveCall(h, selfServed, '+8613800000001', [{ key: '2' }, { key: '9' }]);
    const gaveUp = sid();
    await driveCall(h, gaveUp, '+8613800000300', [{ key: '0' }]);
    await twilioPost(h.server, '/voice/queue-result', { CallSid: gaveUp, QueueResult: 'hangup', QueueTime: '75' }).expect(200);
    // Recorded in the order the calls end, not the order they arrived.
    await twilioPost(h.server, '/voice/status', { CallSid: gaveUp, CallStatus: 'completed', CallDuration: '95' }).expect(200);
    await twilioPost(h.server, '/voice/status', { CallSid: selfServed, CallStatus: 'completed', CallDuration: '40' }).expect(200);
    const lines = await recorded();
    const a = lines.find((l) => l.callId === selfServed)!;
    expect(a).toMatchObject({ talkSec: 420, observed: { outcome: 'selfServed', segment: 'vip-diamond', talkSecFrom: 'assumed' } });
    expect(a.observed?.queue).toBeUndefined();
    const b = lines.find((l) => l.callId === gaveUp)!;
    expect(b).toMatchObject({ patienceSec: 75, talkSec: 260, observed: { outcome: 'handoff', queue: 'general', waitSec: 75, answered: false } });
    for (const line of lines) expect(checkTraceLine(line), line.callId).toMatchObject({ ok: true });
  });

  it('records nothing for progress callbacks or calls it never saw', async () => {
    const callSid = sid();
    await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: '+8613800000300' }).expect(200);
    const before = (await recorded()).length;
    await twilioPost(h.server, '/voice/status', { CallSid: callSid, CallStatus: 'in-progress' }).expect(200);
    await twilioPost(h.server, '/voice/status', { CallSid: sid(), CallStatus: 'completed', CallDuration: '3' }).expect(200);
    expect((await recorded()).length).toBe(before);
  });

  describe('ivr-sim export-trace --from-redis', () => {
    it('writes the recorded calls as JSON Lines by arrival, a trace the replayer reads', async () => {
      const out = await exportTrace(['--from-redis', '--redis-url', REDIS_URL, '--stream', stream()]);
      expect(out.code).toBe(0);
      const lines = out.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as TraceLine);
      const byArrival = [...(await recorded())].sort((x, y) => Date.parse(x.arrivalTime!) - Date.parse(y.arrivalTime!));
      expect(lines).toEqual(byArrival);
      expect(lines.map((l) => l.callId)).not.toEqual((await recorded()).map((l) => l.callId));
      expect(out.stderr).toMatch(new RegExp(`exported ${lines.length} calls`));

      const calls = [];
      for await (const call of readTrace(Readable.from([out.stdout]), { name: 'exported' })) calls.push(call);
      expect(calls.map((c) => c.callId)).toEqual(lines.map((l) => l.callId));
    });

    it('keeps only calls recorded since a time or a duration ago, and writes to a file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-export-'));
      try {
        const file = join(dir, 'live.jsonl');
        const recent = await exportTrace(['--from-redis', '--redis-url', REDIS_URL, '--stream', stream(), '--since', '1h', '--out', file]);
        expect(recent.code).toBe(0);
        expect(recent.stdout).toBe('');
        expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength((await recorded()).length);
        const future = await exportTrace(['--from-redis', '--redis-url', REDIS_URL, '--stream', stream(), '--since', '2999-01-01T00:00:00Z']);
        expect(future).toMatchObject({ code: 0, stdout: '' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says what is wrong with the arguments (exit 2) or with Redis (exit 1)', async () => {
      expect((await exportTrace([])).code).toBe(2);
      const since = await exportTrace(['--from-redis', '--since', 'yesterday']);
      expect(since.code).toBe(2);
      const down = await exportTrace(['--from-redis', '--redis-url', 'redis://127.0.0.1:1', '--stream', stream()]);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    });
  });
});
