import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callSid, twilioPost } from '../helpers/twilio.js';
import { find, findAll, parseXml, textOf } from '../helpers/xml.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { startService, type Harness } from './harness.js';

const STANDARD = '+8613800000300';
const ANYTHING_ELSE_V1 = '返回主菜单请按1，人工服务请按0，结束通话请按9。';
const ANYTHING_ELSE_V2 = '返回主菜单请按1，人工服务请按0，挂机请按9。';

describe('editing flows and rules while the service runs', () => {
  let h: Harness;
  let config: ConfigCopy;
  let original: string;
  beforeAll(async () => {
    config = copyConfig();
    original = readFileSync(join(config.dir, 'flows/standard.json'), 'utf8');
    h = await startService('config-reload', { ...config.env, CONFIG_WATCH: 'on', CONFIG_RELOAD_DEBOUNCE_MS: '50' });
  });
  afterAll(async () => {
    await h.close();
    config.remove();
  });

  const health = async () => (await request(h.server).get('/health')).body as Record<string, any>;
  const incoming = async (callSid: string) => parseXml((await twilioPost(h.server, '/voice/incoming', { CallSid: callSid, From: STANDARD }).expect(200)).text);

  it('keeps serving the last good configuration when an edit breaks a flow, and shows the error on /health', async () => {
    const v1 = (await health())['config']['version'];
    config.edit('flows/standard.json', (doc) => {
      doc['states']['menu']['on']['KEY.2']['target'] = 'nowhere';
    });
    await vi.waitFor(async () => expect((await health())['config']['lastError']).not.toBeNull(), { timeout: 10_000, interval: 50 });
    const report = await health();
    expect(report['status']).toBe('degraded');
    expect(report['config']['version']).toBe(v1);
    expect(report['config']['lastError']['issues'][0]).toMatchObject({ file: expect.stringMatching(/standard\.json$/), path: expect.stringContaining('KEY.2') });
    expect(h.logs.some((l) => l.msg.startsWith('configuration rejected') && l.level === 50)).toBe(true);

    // Callers still get the flow that worked.
    const sid = callSid(1);
    await incoming(sid);
    const doc = parseXml((await twilioPost(h.server, '/voice/gather?step=1', { CallSid: sid, Digits: '2' }).expect(200)).text);
    expect(textOf(find(doc, 'Say')!)).toMatch(/账户余额/);
  });

  it('moves new calls to a good edit while calls in progress finish on the version they started with', async () => {
    const v1 = (await health())['config']['version'];
    const before = callSid(2);
    await incoming(before);

    config.write('flows/standard.json', original);
    config.edit('flows/prompts.json', (doc) => {
      doc['prompts']['menu.anything-else']['text']['zh-CN'] = ANYTHING_ELSE_V2;
    });
    await vi.waitFor(async () => expect((await health())['config']['version']).not.toBe(v1), { timeout: 10_000, interval: 50 });
    const report = await health();
    expect(report['status']).toBe('ok');
    expect(report['config']['lastError']).toBeNull();
    const v2 = report['config']['version'];
    expect(report['config']['versionsHeld']).toEqual([v2, v1]);

    const after = callSid(3);
    await incoming(after);
    const heard = async (callSid: string) => {
      const doc = parseXml((await twilioPost(h.server, '/voice/gather?step=1', { CallSid: callSid, Digits: '2' }).expect(200)).text);
      return findAll(find(doc, 'Gather')!, 'Say').map(textOf);
    };
    expect(await heard(before)).toEqual([ANYTHING_ELSE_V1]);
    expect(await heard(after)).toEqual([ANYTHING_ELSE_V2]);

    await twilioPost(h.server, '/voice/gather?step=2', { CallSid: before, Digits: '0' }).expect(200);
    const decided = (await h.store.get(before))!.value.turn.end!.decision!;
    expect(decided.configVersion).toBe(v1);
  });
});
