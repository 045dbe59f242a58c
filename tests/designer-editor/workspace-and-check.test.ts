import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import type { Harness } from '../app/harness.js';
import type { ConfigCopy } from '../helpers/config-copy.js';
import { openEditor, type EditorService } from './editor-service.js';

describe('the flow editor: workspace and live checks', () => {
  let editor: EditorService;
  let h: Harness;
  let copy: ConfigCopy;
  let files: Record<string, any>;
  let version: string;

  beforeAll(async () => {
    editor = await openEditor('editor-check');
    ({ h, copy, files, version } = editor);
  });
  afterAll(() => editor.close());

  const check = (changes: object) => request(h.internal).post('/designer/api/check').send({ baseVersion: version, changes });
  const edited = (path: string, change: (doc: any) => void) => {
    const doc = structuredClone(files[path]);
    change(doc);
    return { [path]: doc };
  };

  it('gives every editable file as served, the version, segments, queues and languages', async () => {
    const config = loadConfiguration(copy.paths);
    const health = await request(h.server).get('/health').expect(200);
    expect(version).toBe(health.body.config.version);
    expect(version).toBe(config.version);
    expect(Object.keys(files).sort()).toEqual([
      'flows/4g.json', 'flows/campus.json', 'flows/high-data.json', 'flows/prompts.json', 'flows/standard.json', 'flows/vip-card.json', 'flows/vip-diamond.json',
      'flows/vip-gold.json', 'flows/vip-silver.json', 'rules/contact-policy.json', 'rules/popups.json', 'rules/routing.json', 'rules/segments.json',
      'rules/sms-templates.json', 'rules/sms.json',
    ]);
    expect(files['flows/vip-gold.json']).toEqual(JSON.parse(readFileSync(`${copy.dir}/flows/vip-gold.json`, 'utf8')));
    const res = await request(h.internal).get('/designer/api/workspace').expect(200);
    expect(res.body.languages).toEqual(['zh-CN', 'en-US']);
    expect(res.body.segments).toContainEqual({ id: 'vip-diamond', flowId: 'vip-diamond' });
    expect(res.body.segments).toContainEqual({ id: 'standard', flowId: 'standard' });
    expect(res.body.queues).toEqual(expect.arrayContaining(['general', config.rules.routeDefault.queue]));
  });

  it('finds a draft of the served files valid', async () => {
    const res = await check({}).expect(200);
    expect(res.body.valid).toBe(true);
    expect(res.body.version).toBe(version);
    expect(res.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
  });

  it('places a transition to a state that does not exist on the flow, state and field', async () => {
    const res = await check(edited('flows/vip-gold.json', (d) => (d.states.menu.on['KEY.2'].target = 'nowhere'))).expect(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.issues).toContainEqual({
      file: 'flows/vip-gold.json',
      pointer: '/states/menu/on/KEY.2',
      flowId: 'vip-gold',
      stateId: 'menu',
      field: '/on/KEY.2',
      severity: 'error',
      source: 'validate',
      message: expect.stringContaining('"nowhere"'),
    });
  });

  it('says which issues the schema found', async () => {
    const res = await check(edited('flows/vip-gold.json', (d) => (d.states.anythingElse.meta.input.timeoutSec = 'soon'))).expect(200);
    expect(res.body.valid).toBe(false);
    expect(res.body.issues).toContainEqual(expect.objectContaining({ pointer: '/states/anythingElse/meta/input/timeoutSec', stateId: 'anythingElse', field: '/meta/input/timeoutSec', source: 'schema', severity: 'error' }));
  });

  it('reports what only lint finds as lint warnings, on a draft that validates', async () => {
    // A greeting of some 40 seconds: valid, but longer than lint's 20-second limit.
    const res = await check(edited('flows/prompts.json', (d) => (d.prompts['greeting.vip-gold'].text['zh-CN'] = '您好'.repeat(90)))).expect(200);
    expect(res.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect(res.body.valid).toBe(true);
    expect(res.body.issues).toContainEqual(expect.objectContaining({ file: 'flows/prompts.json', pointer: expect.stringContaining('/prompts/greeting.vip-gold'), severity: 'warning', source: 'lint' }));
  });

  it('checks the rules and prompts of the draft together with its flows', async () => {
    const res = await check({
      ...edited('flows/prompts.json', (d) => delete d.prompts['menu.vip']),
      ...edited('rules/routing.json', (d) => (d.rules[0].conditions = { all: [{ fact: 'shoeSize', operator: 'equal', value: 1 }] })),
    }).expect(200);
    expect(res.body.valid).toBe(false);
    const where = res.body.issues.map((i: { file: string }) => i.file);
    expect(where).toContain('rules/routing.json');
    expect(where.some((f: string) => f.startsWith('flows/') && f !== 'flows/prompts.json')).toBe(true);
  });

  it('refuses malformed requests with 400 naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [[], /expected a JSON object/],
      [{ changes: { '../secrets.json': {} } }, /changes\["\.\.\/secrets\.json"\]: only flows/],
      [{ changes: { 'flows/shared/self-diagnosis.json': {} } }, /changes\["flows\/shared\/self-diagnosis\.json"\]/],
      [{ changes: { 'data/customers.json': {} } }, /changes\["data\/customers\.json"\]/],
      [{ changes: { 'rules/other.json': {} } }, /not a rule file the service reads/],
      [{ changes: { 'flows/prompts.json': null } }, /only segment flows .* can be deleted/],
      [{ changes: { 'flows/vip-gold.json': [1] } }, /changes\["flows\/vip-gold\.json"\]: expected the whole document/],
      [{ changes: {}, baseVersion: 12 }, /baseVersion/],
      [{ changes: {}, colour: 'red' }, /unknown property "colour"/],
      [{}, /changes: missing/],
    ];
    for (const [body, message] of cases) {
      const res = await request(h.internal).post('/designer/api/check').send(body as object).expect(400);
      expect(res.body.error).toBe('DESIGNER_REQUEST_INVALID');
      expect(res.body.message).toMatch(message);
    }
  });

  it('is served on the internal listener only', async () => {
    await request(h.server).get('/designer/api/workspace').expect(404);
  });
});
