import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { startService, type Harness } from '../app/harness.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';

/** Every file under the copy's flows/ and rules/, with its bytes. */
function filesOf(copy: ConfigCopy): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of ['flows', 'rules']) {
    for (const rel of readdirSync(join(copy.dir, dir), { recursive: true, encoding: 'utf8' })) {
      if (rel.includes('.')) out.set(`${dir}/${rel}`, readFileSync(join(copy.dir, dir, rel), 'utf8'));
    }
  }
  return out;
}

/** What a line diff shows: the lines taken out and the lines put in (by longest common subsequence). */
function lineDiff(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const removed: string[] = [];
  const added: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) added.push(b[j++]!);
    else removed.push(a[i++]!);
  }
  return { removed, added };
}

describe('the flow editor: save, concurrent edits, history and restore', () => {
  let h: Harness;
  let copy: ConfigCopy;
  let workspace: { version: string; files: Record<string, any> };
  const reloads = async () => (await request(h.internal).get('/designer/flows').expect(200)).body.config.reloads as number;
  const health = async () => (await request(h.server).get('/health').expect(200)).body.config as { version: string; lastError: unknown };
  const load = async () => (workspace = (await request(h.internal).get('/designer/api/workspace').expect(200)).body);

  beforeAll(async () => {
    copy = copyConfig();
    h = await startService('editor-save', { ...copy.env, DESIGNER_HISTORY_DIR: join(copy.dir, 'history') });
    await load();
  });
  afterAll(async () => {
    await h.close();
    copy.remove();
  });

  it('refuses an invalid draft with 422 and writes nothing', async () => {
    const before = filesOf(copy);
    const flow = structuredClone(workspace.files['flows/vip-gold.json']);
    flow.states.menu.on['KEY.7'] = 'nowhere';
    const res = await request(h.internal).post('/designer/api/save').send({ baseVersion: workspace.version, changes: { 'flows/vip-gold.json': flow } }).expect(422);
    expect(res.body.issues).toContainEqual(expect.objectContaining({ file: 'flows/vip-gold.json', stateId: 'menu', severity: 'error' }));
    expect(filesOf(copy)).toEqual(before);
    expect((await request(h.internal).get('/designer/api/versions').expect(200)).body.versions).toEqual([]);
  });

  it('saves a new menu key with its new state and prompt: both files change exactly by the edit, the service reloads once and serves it', async () => {
    const before = filesOf(copy);
    const reloadsBefore = await reloads();
    const flow = structuredClone(workspace.files['flows/vip-gold.json']);
    flow.states.menu.on['KEY.7'] = 'roaming';
    flow.states.roaming = { entry: [{ type: 'say', params: { prompt: 'info.roaming' } }], on: { PROMPT_END: 'agent' } };
    const prompts = structuredClone(workspace.files['flows/prompts.json']);
    prompts.prompts['info.roaming'] = { text: { 'zh-CN': '国际漫游请稍候。' } };
    const res = await request(h.internal)
      .post('/designer/api/save')
      .send({ baseVersion: workspace.version, changes: { 'flows/vip-gold.json': flow, 'flows/prompts.json': prompts }, message: 'roaming key' })
      .expect(200);

    const after = filesOf(copy);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort()); // no temporary file left behind
    for (const [path, text] of before) if (path !== 'flows/vip-gold.json' && path !== 'flows/prompts.json') expect(after.get(path), path).toBe(text);
    expect(JSON.parse(after.get('flows/vip-gold.json')!)).toEqual(flow);
    expect(JSON.parse(after.get('flows/prompts.json')!)).toEqual(prompts);
    // Only the edit shows in a diff: the new key (and the comma before it), the new state, the new prompt.
    const flowDiff = lineDiff(before.get('flows/vip-gold.json')!, after.get('flows/vip-gold.json')!);
    expect(flowDiff.removed.map((l) => l.trim())).toEqual([']']);
    expect(flowDiff.added.map((l) => l.trim())).toEqual(['],', '"KEY.7": "roaming"', '},', '"roaming": {', '"entry": [', '{', '"type": "say",', '"params": {', '"prompt": "info.roaming"', '}', '}', '],', '"on": {', '"PROMPT_END": "agent"', '}']);
    const promptDiff = lineDiff(before.get('flows/prompts.json')!, after.get('flows/prompts.json')!);
    // The new prompt at the end of the list, and a comma after the one before it.
    expect(promptDiff.removed.length).toBeLessThanOrEqual(1);
    expect(promptDiff.added.length).toBeLessThanOrEqual(6);
    expect(promptDiff.added.map((l) => l.trim())).toEqual(expect.arrayContaining(['"info.roaming": {', '"text": {', '"zh-CN": "国际漫游请稍候。"']));

    const config = loadConfiguration(copy.paths);
    expect(res.body.version).toBe(config.version);
    expect(res.body.savedVersion).toMatchObject({ id: 'v2', configVersion: config.version, files: ['flows/prompts.json', 'flows/vip-gold.json'], message: 'roaming key', savedAt: expect.any(String) });
    expect((await health()).version).toBe(config.version);
    expect(await reloads()).toBe(reloadsBefore + 1);
    await load();
    expect(workspace.version).toBe(config.version);
  });

  it('refuses a save from an older version with 409 and the version served now, changing nothing', async () => {
    const before = filesOf(copy);
    const versions = (await request(h.internal).get('/designer/api/versions').expect(200)).body.versions;
    const stale = versions[1].configVersion as string;
    const res = await request(h.internal).post('/designer/api/save').send({ baseVersion: stale, changes: { 'flows/vip-gold.json': workspace.files['flows/vip-gold.json'] } }).expect(409);
    expect(res.body).toMatchObject({ error: 'DESIGNER_VERSION_CONFLICT', currentVersion: workspace.version });
    expect(filesOf(copy)).toEqual(before);
  });

  it('puts every file back when the reload refuses what is on disk, and answers 422', async () => {
    // Someone broke another file by hand; the service (not watching) still serves the good version.
    copy.edit('rules/popups.json', (doc) => (doc.rules[0].event.type = 'nonsense'));
    const before = filesOf(copy);
    const served = (await health()).version;
    const reloadsBefore = await reloads();
    const flow = structuredClone(workspace.files['flows/vip-gold.json']);
    flow.states.menu.description = 'edited';
    const prompts = structuredClone(workspace.files['flows/prompts.json']);
    prompts.prompts['info.roaming'].text['en-US'] = 'Roaming: please hold.';
    const res = await request(h.internal).post('/designer/api/save').send({ baseVersion: workspace.version, changes: { 'flows/vip-gold.json': flow, 'flows/prompts.json': prompts } }).expect(422);
    expect(res.body.issues).toContainEqual(expect.objectContaining({ file: 'rules/popups.json', severity: 'error' }));
    expect(filesOf(copy)).toEqual(before);
    expect((await health()).version).toBe(served);
    expect(await reloads()).toBe(reloadsBefore);
    expect((await request(h.internal).get('/designer/api/versions').expect(200)).body.versions).toHaveLength(2);
    copy.write('rules/popups.json', JSON.stringify(JSON.parse(before.get('rules/popups.json')!), null, 2));
    copy.edit('rules/popups.json', (doc) => (doc.rules[0].event.type = 'tag'));
  });

  it('lists every saved version newest first, the state before the first save included, and restores one', async () => {
    const original = copyConfig();
    try {
      const list = (await request(h.internal).get('/designer/api/versions').expect(200)).body.versions;
      expect(list.map((v: { id: string }) => v.id)).toEqual(['v2', 'v1']);
      expect(list[1]).toMatchObject({ message: 'the files as they were before the first save', configVersion: loadConfiguration(original.paths).version });
      expect(list[1].files).toContain('flows/vip-gold.json');

      await load();
      const res = await request(h.internal).post('/designer/api/versions/v1/restore').send({ baseVersion: workspace.version }).expect(200);
      const now = filesOf(copy);
      for (const path of ['flows/vip-gold.json', 'flows/prompts.json', 'rules/popups.json']) expect(now.get(path), path).toBe(readFileSync(join(original.dir, path), 'utf8'));
      expect(res.body.version).toBe(loadConfiguration(original.paths).version);
      expect(res.body.savedVersion).toMatchObject({ id: 'v3', message: 'restore of v1' });
      expect(res.body.savedVersion.files).toEqual(expect.arrayContaining(['flows/prompts.json', 'flows/vip-gold.json']));
      expect((await request(h.internal).get('/designer/api/versions').expect(200)).body.versions.map((v: { id: string }) => v.id)).toEqual(['v3', 'v2', 'v1']);

      // The saved version is still there to go back to.
      await request(h.internal).post('/designer/api/versions/v2/restore').send({ baseVersion: workspace.version }).expect(409);
      await request(h.internal).post('/designer/api/versions/v9/restore').send({ baseVersion: res.body.version }).expect(404);
      const back = await request(h.internal).post('/designer/api/versions/v2/restore').send({ baseVersion: res.body.version }).expect(200);
      expect(JSON.parse(readFileSync(join(copy.dir, 'flows/vip-gold.json'), 'utf8')).states.roaming).toBeDefined();
      expect(back.body.savedVersion.id).toBe('v4');
    } finally {
      original.remove();
    }
  });

  it('refuses a save without a base version or without changes with 400', async () => {
    const a = await request(h.internal).post('/designer/api/save').send({ changes: { 'flows/vip-gold.json': workspace.files['flows/vip-gold.json'] } }).expect(400);
    expect(a.body.message).toMatch(/baseVersion: missing/);
    const b = await request(h.internal).post('/designer/api/save').send({ baseVersion: workspace.version, changes: {} }).expect(400);
    expect(b.body.message).toMatch(/changes: nothing to save/);
    const c = await request(h.internal).post('/designer/api/save').send({ baseVersion: workspace.version, changes: { 'flows/x.json': {} }, message: 5 }).expect(400);
    expect(c.body.message).toMatch(/message:/);
  });
});

describe('the flow editor: a save of several files while the service watches them', () => {
  let h: Harness;
  let copy: ConfigCopy;
  beforeAll(async () => {
    copy = copyConfig();
    h = await startService('editor-save-watch', { ...copy.env, CONFIG_WATCH: 'on', CONFIG_RELOAD_DEBOUNCE_MS: '0', DESIGNER_HISTORY_DIR: join(copy.dir, 'history') });
  });
  afterAll(async () => {
    await h.close();
    copy.remove();
  });

  it('reloads once, after all the files, never between them', async () => {
    const ws = (await request(h.internal).get('/designer/api/workspace').expect(200)).body;
    const flow = structuredClone(ws.files['flows/vip-gold.json']);
    flow.states.menu.on['KEY.7'] = 'roaming';
    flow.states.roaming = { entry: [{ type: 'say', params: { prompt: 'info.roaming' } }], on: { PROMPT_END: 'agent' } };
    const prompts = structuredClone(ws.files['flows/prompts.json']);
    prompts.prompts['info.roaming'] = { text: { 'zh-CN': '国际漫游请稍候。' } };
    const routing = structuredClone(ws.files['rules/routing.json']);
    routing.description = 'edited with the flow editor';
    // Either flow file alone does not load (a key to a prompt that does not exist): a reload in between would be refused.
    await request(h.internal).post('/designer/api/save').send({ baseVersion: ws.version, changes: { 'flows/vip-gold.json': flow, 'flows/prompts.json': prompts, 'rules/routing.json': routing } }).expect(200);
    await new Promise((r) => setTimeout(r, 1500));
    const status = (await request(h.internal).get('/designer/flows').expect(200)).body.config;
    expect(status).toMatchObject({ reloads: 1, lastError: null, version: loadConfiguration(copy.paths).version });
    expect(h.logs.filter((l) => l.msg.startsWith('configuration rejected'))).toEqual([]);
  });
});
