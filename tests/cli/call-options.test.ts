import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import type { Decision } from '../../src/core/decision/decision.js';
import { MemoryTraceSink } from '../../src/core/telephony/call-recording.js';
import { MemoryCallStateStore } from '../../src/core/telephony/call-state-store.js';
import { ManualClock } from '../../src/core/time/clock.js';
import { ConfigVersions } from '../../src/core/telephony/config-versions.js';
import { LiveCallCoordinator } from '../../src/core/telephony/live-call-coordinator.js';
import { playCaller } from '../telephony/live-driver.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-call-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const DIAMOND = '+8613800000001';
/** The rolling promotion a decision's caller heard. */
const promotionOf = (d: Decision) => d.transcript!.find((e) => e.kind === 'prompt' && e.promptId.startsWith('promo.'))!;

async function cliPromotion(callId: string): Promise<string> {
  const r = await cli('call', '--caller', DIAMOND, '--keys', '0', '--call-id', callId, '--json');
  expect(r.code).toBe(0);
  return (promotionOf(JSON.parse(r.out) as Decision) as { promptId: string }).promptId;
}

describe('ivr-sim call --call-id reproduces a live call', () => {
  const CALL_SIDS = Array.from({ length: 12 }, (_, i) => `CA${String(i * 7919).padStart(32, '0')}`);

  it('picks the rolling promotion by call id: different ids can hear different ones, the same id always the same', async () => {
    const heard = new Map<string, string>();
    for (const sid of CALL_SIDS) heard.set(sid, await cliPromotion(sid));
    expect(new Set(heard.values()).size).toBeGreaterThan(1);
    for (const sid of CALL_SIDS.slice(0, 4)) expect(await cliPromotion(sid)).toBe(heard.get(sid));
  });

  it('plays the promotion the live service plays for that CallSid, and decides the call the same way', async () => {
    const config = loadConfiguration();
    const clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
    const store = new MemoryCallStateStore();
    const calls = new LiveCallCoordinator({ configs: new ConfigVersions(config, 3_600_000, clock.now()), store, clock, sink: new MemoryTraceSink(), assumedTalkSec: () => 240, ttlSec: 3600 });
    for (const callSid of CALL_SIDS) {
      const { state, replies } = await playCaller(calls, store, clock, { callSid, caller: DIAMOND, keys: [{ key: '0' }] });
      const live = replies.flatMap((r) => r.turn.prompts.map((p) => p.id)).find((id) => id.startsWith('promo.'));
      expect(await cliPromotion(callSid), callSid).toBe(live);
      const r = await cli('call', '--caller', DIAMOND, '--keys', '0', '--call-id', callSid, '--json');
      const { transcript: _t, ...decision } = JSON.parse(r.out) as Decision;
      expect(decision, callSid).toEqual(JSON.parse(JSON.stringify(state.turn.end!.decision)));
    }
  });

  it('without --call-id, calls are decided as before, as "cli-call"', async () => {
    const a = await cli('call', '--caller', DIAMOND, '--keys', '0', '--json');
    const b = await cli('call', '--caller', DIAMOND, '--keys', '0', '--json', '--call-id', 'cli-call');
    expect(a.out).toBe(b.out);
  });

  it('refuses an empty call id', async () => {
    expect(await cli('call', '--caller', DIAMOND, '--call-id', ' ')).toMatchObject({ code: 2, err: expect.stringContaining('--call-id') });
  });
});

describe('ivr-sim call --profile holds the file to the trace profile schema', () => {
  it('reports every field error with the file and the field, and runs nothing', async () => {
    const profile = file('bad.json', JSON.stringify({ phone: '+8613900000001', vipLevel: 'platinum', arpu: 'high', campus: 'yes', nickname: 'Bo' }));
    const r = await cli('call', '--profile', profile, '--keys', '0');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`error: ${profile} at /vipLevel: must be one of "diamond", "gold", "silver", "card", "none" (got "platinum")`);
    expect(r.err).toContain(`error: ${profile} at /arpu: must be a number (got "high")`);
    expect(r.err).toContain(`error: ${profile} at /campus: must be a boolean (got "yes")`);
    expect(r.err).toContain(`error: ${profile} at /nickname: is not a known field`);
    expect(r.err).toContain('ivr-sim: 4 errors; nothing was run');
  });

  it('a profile without a phone, or not an object', async () => {
    const noPhone = file('no-phone.json', '{"vipLevel": "gold"}');
    expect((await cli('call', '--profile', noPhone)).err).toContain(`error: ${noPhone} at /phone: is required`);
    const list = file('list.json', '[]');
    expect(await cli('call', '--profile', list)).toMatchObject({ code: 1, err: expect.stringContaining(`error: ${list}: must be an object`) });
  });

  it('a syntax error is located by line and column, a missing file is "file not found"', async () => {
    const broken = file('broken.json', '{\n  "phone": "+8613900000001",\n  "vipLevel": gold\n}\n');
    expect(await cli('call', '--profile', broken)).toMatchObject({ code: 1, err: expect.stringContaining(`error: ${broken}:3:15: not valid JSON`) });
    const missing = join(dir, 'missing.json');
    expect(await cli('call', '--profile', missing)).toMatchObject({ code: 1, err: expect.stringContaining(`error: ${missing}: file not found (ENOENT)`) });
  });

  it('a valid profile is used as before', async () => {
    const ok = file('ok.json', JSON.stringify({ phone: '+8613900000001', vipLevel: 'gold', arpu: 180 }));
    const r = await cli('call', '--profile', ok, '--keys', '0', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as Decision).caller.phone).toBe('+8613900000001');
  });
});
