import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../app/harness.js';
import { openEditor, type EditorService } from './editor-service.js';

const GOLD = '+8613800000030';

describe('the flow editor: trying and drawing a draft', () => {
  let editor: EditorService;
  let h: Harness;
  let files: Record<string, any>;
  let version: string;

  beforeAll(async () => {
    editor = await openEditor('editor-try');
    ({ h, files, version } = editor);
  });
  afterAll(() => editor.close());

  /** vip-gold with menu key 7 leading to a new state that plays a new prompt, then hands off. */
  const withNewKey = () => {
    const flow = structuredClone(files['flows/vip-gold.json']);
    flow.states.menu.on['KEY.7'] = 'roaming';
    flow.states.roaming = { entry: [{ type: 'say', params: { prompt: 'info.roaming' } }], on: { PROMPT_END: 'agent' } };
    const prompts = structuredClone(files['flows/prompts.json']);
    prompts.prompts['info.roaming'] = { text: { 'zh-CN': '国际漫游请拨打客服。', 'en-US': 'For roaming, please hold.' } };
    return { 'flows/vip-gold.json': flow, 'flows/prompts.json': prompts };
  };

  it('walks a call through a new menu key and its new prompt in the draft, not in the served flow', async () => {
    const customers = (await request(h.internal).get('/designer/customers').expect(200)).body.customers as Array<{ phone: string; flowId: string }>;
    const gold = customers.find((c) => c.flowId === 'vip-gold')!.phone;
    const res = await request(h.internal).post('/designer/api/try').send({ baseVersion: version, changes: withNewKey(), caller: gold, keys: ['7'] }).expect(200);
    const prompts = res.body.decision.transcript.filter((e: { kind: string }) => e.kind === 'prompt').map((e: { promptId: string }) => e.promptId);
    expect(prompts).toContain('info.roaming');
    expect(res.body.decision.flow.outcome).toBe('handoff');
    expect(res.body.walk.status).toBe('ended');
    expect(res.body.config.version).toBe(version);
    expect(res.body.draftVersion).not.toBe(version);

    const served = await request(h.internal).post('/designer/try').send({ caller: gold, keys: ['7'] }).expect(200);
    expect(served.body.decision.transcript.some((e: { promptId?: string }) => e.promptId === 'info.roaming')).toBe(false);
  });

  it('answers a draft that does not load with 422 and its issues', async () => {
    const flow = structuredClone(files['flows/vip-gold.json']);
    flow.states.menu.on['KEY.7'] = 'nowhere';
    const res = await request(h.internal).post('/designer/api/try').send({ changes: { 'flows/vip-gold.json': flow }, caller: GOLD, keys: [] }).expect(422);
    expect(res.body.error).toBe('DESIGNER_DRAFT_INVALID');
    expect(res.body.issues).toContainEqual(expect.objectContaining({ file: 'flows/vip-gold.json', stateId: 'menu', field: '/on/KEY.7', severity: 'error' }));
  });

  it('takes a typed-in profile and says what is wrong with a bad walk request', async () => {
    const ok = await request(h.internal).post('/designer/api/try').send({ changes: {}, profile: { phone: '+8613900000000' }, keys: [], language: 'en-US' }).expect(200);
    expect(ok.body.decision.segment.id).toBe('standard');
    const bad = await request(h.internal).post('/designer/api/try').send({ changes: {}, keys: ['x'], language: 'fr' }).expect(400);
    expect(bad.body.message).toMatch(/keys\[0\]/);
    expect(bad.body.message).toMatch(/language/);
    expect(bad.body.message).toMatch(/either caller .* or profile/);
  });

  it('draws the draft flow with its new state', async () => {
    const res = await request(h.internal).post('/designer/api/diagram').send({ changes: withNewKey(), flowId: 'vip-gold' }).expect(200);
    expect(res.body.svg).toMatch(/^<svg|<\?xml/);
    expect(res.body.svg).toContain('<g id="roaming" class="node">');
    const served = await request(h.internal).get('/designer/flows/vip-gold/diagram.svg').expect(200);
    expect(String(served.text ?? served.body)).not.toContain('id="roaming"');
  });

  it('answers 404 for a flow the draft does not have and 400 without a flow id', async () => {
    const flows = { ...withNewKey(), 'flows/vip-gold.json': null };
    const gone = await request(h.internal).post('/designer/api/diagram').send({ changes: { 'flows/campus.json': null }, flowId: 'campus' });
    // Deleting the campus flow leaves its segment without a flow: the draft does not load.
    expect(gone.status).toBe(422);
    expect(gone.body.issues).toContainEqual(expect.objectContaining({ file: 'rules/segments.json', message: expect.stringContaining('"campus" has no flow') }));
    await request(h.internal).post('/designer/api/diagram').send({ changes: {}, flowId: 'platinum' }).expect(404);
    const res = await request(h.internal).post('/designer/api/diagram').send({ changes: flows }).expect(400);
    expect(res.body.message).toMatch(/flowId/);
  });
});
