import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigWatcher } from '../../src/app/config/config-watcher.js';
import type { DesignerTryResult } from '../../src/app/designer/designer.service.js';
import { loadConfiguration, type Configuration } from '../../src/core/configuration/configuration.js';
import { toDot } from '../../src/core/designer/dot-diagram.js';
import { flowDiagram } from '../../src/core/designer/flow-diagram.js';
import { renderSvg } from '../../src/core/designer/svg-render.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { startService, type Harness } from '../app/harness.js';
import { profileFor } from '../helpers/shipped.js';

const DIAMOND = '+8613800000001';

/** SVG is not text to superagent; read it as text all the same. */
function asText(raw: request.Response, done: (err: Error | null, body: string) => void): void {
  const res = raw as unknown as NodeJS.ReadableStream;
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
}
const FOUR_G = '+8613800000127';

describe('the designer page API', () => {
  let h: Harness;
  let config: Configuration;
  let decider: CallDecider;
  const walk = async (body: object) => (await request(h.internal).post('/designer/try').send(body).expect(200)).body as DesignerTryResult;

  beforeAll(async () => {
    h = await startService('designer-page');
    config = loadConfiguration();
    decider = new CallDecider(config);
  });
  afterAll(() => h.close());

  it('lists the flows being served with the configuration version /health reports', async () => {
    const res = await request(h.internal).get('/designer/flows').expect(200);
    const health = await request(h.server).get('/health').expect(200);
    expect(res.body.config).toMatchObject({ version: health.body.config.version, reloads: 0, lastError: null });
    expect(res.body.flows.map((f: { id: string }) => f.id).sort()).toEqual([...config.flows.flows.keys()].sort());
    expect(res.body.flows).toContainEqual({ id: 'vip-diamond', segment: 'vip-diamond', title: config.flows.flows.get('vip-diamond')!.source.meta.title ?? 'vip-diamond' });
  });

  it('draws a flow from the definition the engine runs, as `ivr-sim graph --format svg` does', async () => {
    const res = await request(h.internal).get('/designer/flows/vip-diamond/diagram.svg').buffer(true).parse(asText).expect(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = res.body as string;
    expect(svg).toBe(await renderSvg(toDot(flowDiagram(config.flows.flows.get('vip-diamond')!))));
    // Each state is a node the page can find by its path.
    expect(svg).toContain('<g id="menu.welcome" class="node">');
    expect(svg).toContain('<g id="handoff" class="node">');
  });

  it('answers an unknown flow with 404 naming the flows there are', async () => {
    const res = await request(h.internal).get('/designer/flows/platinum/diagram.svg').expect(404);
    expect(res.body.message).toContain('no flow "platinum"');
    expect(res.body.message).toContain('vip-diamond');
  });

  it('lists the customers with the segment and flow each one gets', async () => {
    const res = await request(h.internal).get('/designer/customers').expect(200);
    expect(res.body.customers).toHaveLength(config.customers.size);
    expect(res.body.customers.find((c: { phone: string }) => c.phone === DIAMOND)).toMatchObject({
      segment: 'vip-diamond',
      flowId: 'vip-diamond',
      profile: { phone: DIAMOND, title: '王先生', vipLevel: 'diamond' },
    });
  });

  it('starts a call: the greeting is heard and the call waits at the menu', async () => {
    const r = await walk({ caller: DIAMOND, keys: [] });
    expect(r.walk).toEqual({ status: 'waiting', heard: expect.any(Number), waitingIn: 'menu.welcome', unusedKeys: 0 });
    const heard = r.decision.transcript!.slice(0, r.walk.heard);
    expect(heard.filter((e) => e.kind === 'prompt').map((e) => (e as { promptId: string }).promptId)).toEqual(['greeting.vip-diamond', 'promo.vip-5g-upgrade', 'menu.vip']);
    expect(heard.some((e) => e.kind === 'noInput' || e.kind === 'key')).toBe(false);
    expect(r.config.version).toBe(config.version);
  });

  it('a diamond VIP pressing 0 is handed to the vip-diamond desk, decided as `ivr-sim call` decides it', async () => {
    const r = await walk({ caller: DIAMOND, keys: ['0'] });
    expect(r.walk).toMatchObject({ status: 'ended', waitingIn: null });
    expect(r.walk.heard).toBe(r.decision.transcript!.length);
    expect(r.decision).toEqual(decider.decide({ callId: 'designer', caller: DIAMOND, keys: [{ key: '0' }], transcript: true }));
    expect(r.decision.route).toMatchObject({ queue: 'vip-diamond', priority: 100, rule: 'diamond-dedicated-desk' });
    expect(r.decision.explanation.fired.routing).toEqual(['diamond-dedicated-desk']);
    expect(r.decision.explanation.fired.popups).toEqual(['heavy-data-user', 'long-tenure-vip']);
  });

  it('a 4G caller whose fault is fixed by the guided restart (3,1,1) self-serves and gets the troubleshooting SMS', async () => {
    const waiting = await walk({ caller: FOUR_G, keys: ['3', '1'] });
    expect(waiting.walk).toMatchObject({ status: 'waiting', waitingIn: 'diagnosis.noSignalRestart' });
    const r = await walk({ caller: FOUR_G, keys: ['3', '1', '1'] });
    expect(r.walk.status).toBe('ended');
    expect(r.decision.flow.outcome).toBe('selfServed');
    expect(r.decision.route).toBeNull();
    expect(r.decision.sms.map((s) => [s.template, s.rule])).toEqual([['troubleshooting-tips', 'tips-after-successful-diagnosis']]);
  });

  it('"wait" lets every window from here on run out', async () => {
    const r = await walk({ caller: FOUR_G, keys: ['3'], end: 'wait' });
    expect(r.walk.status).toBe('ended');
    expect(r.decision).toEqual(decider.decide({ callId: 'designer', caller: FOUR_G, keys: [{ key: '3' }], transcript: true }));
    expect(r.decision.transcript!.some((e) => e.kind === 'noInput' && e.state === 'diagnosis.symptom')).toBe(true);
  });

  it('"hang up" ends the call where it waits, once its prompts have played', async () => {
    const waiting = await walk({ caller: FOUR_G, keys: ['3'] });
    const r = await walk({ caller: FOUR_G, keys: ['3'], end: 'hangup' });
    expect(r.walk.status).toBe('ended');
    expect(r.decision.flow).toMatchObject({ outcome: 'hangup', finalState: 'diagnosis.symptom' });
    const t = r.decision.transcript!;
    expect(t.at(-1)).toMatchObject({ kind: 'hangup', state: 'diagnosis.symptom' });
    // Everything heard before is what the waiting call had heard.
    expect(t.slice(0, -1)).toEqual(waiting.decision.transcript!.slice(0, waiting.walk.heard));
    expect(r.decision.route).toBeNull();
  });

  it('walks an inline profile the customers file does not have', async () => {
    const profile = profileFor('vip-gold', { phone: '+8613999990000', title: '测试先生' });
    const r = await walk({ profile, keys: ['0'] });
    expect(r.decision).toEqual(decider.decide({ callId: 'designer', profile, keys: [{ key: '0' }], transcript: true }));
    expect(r.decision.segment.id).toBe('vip-gold');
    expect(r.decision.caller.known).toBe(true);
  });

  it('says how many keys the flow never asked for', async () => {
    const r = await walk({ caller: DIAMOND, keys: ['0', '5', '5'] });
    expect(r.walk).toMatchObject({ status: 'ended', unusedKeys: 2 });
  });

  it('refuses a body it cannot walk, listing every problem', async () => {
    const res = await request(h.internal)
      .post('/designer/try')
      .send({ caller: DIAMOND, profile: { phone: '+8613900000000', vipLevel: 'platinum' }, keys: ['0', 'A'], end: 'later', colour: 'red' })
      .expect(400);
    const m: string = res.body.message;
    expect(m).toContain('unknown property "colour"');
    expect(m).toContain('keys[1]: "A" is not a DTMF key');
    expect(m).toContain('either caller');
    expect(m).toContain('profile/vipLevel: must be one of');
    expect(m).toContain('end: "later"');
    await request(h.internal).post('/designer/try').send({ keys: [] }).expect(400);
    await request(h.internal).post('/designer/try').send({ caller: 'not a phone', keys: [] }).expect(400);
  });
});

describe('the designer page after a refused configuration edit', () => {
  let h: Harness;
  let dir: ConfigCopy;

  beforeAll(async () => {
    dir = copyConfig();
    h = await startService('designer-reload', dir.env);
  });
  afterAll(async () => {
    await h.close();
    dir.remove();
  });

  it('shows the errors, as /health does, while walks go on with the last good version', async () => {
    const before = (await request(h.internal).get('/designer/flows').expect(200)).body.config.version as string;
    dir.edit('flows/vip-diamond.json', (f) => {
      f['states']['menu']['initial'] = 'nowhere';
    });
    h.app.get(ConfigWatcher).reload();
    const res = await request(h.internal).get('/designer/flows').expect(200);
    const health = await request(h.server).get('/health').expect(200);
    expect(res.body.config.version).toBe(before);
    expect(res.body.config.lastError).toEqual(health.body.config.lastError);
    expect(res.body.config.lastError.issues.length).toBeGreaterThan(0);
    expect(res.body.config.lastError.issues.some((i: { file: string }) => i.file.endsWith('vip-diamond.json'))).toBe(true);
    const walked = (await request(h.internal).post('/designer/try').send({ caller: DIAMOND, keys: ['0'] }).expect(200)).body as DesignerTryResult;
    expect(walked.decision.configVersion).toBe(before);
    expect(walked.config.lastError).not.toBeNull();
  });
});

describe('the pages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('pages');
  });
  afterAll(() => h.close());

  for (const path of ['/agent', '/designer']) {
    it(`${path} is one self-contained HTML document that may only talk to this service`, async () => {
      const res = await request(h.internal).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toContain("script-src 'unsafe-inline'");
      // No CDN, no web fonts, no absolute URLs at all.
      expect(res.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
      expect(res.text).not.toMatch(/@import|\burl\(/i);
      expect(res.text).not.toMatch(/ on[a-z]+=/i);
    });
  }
});
