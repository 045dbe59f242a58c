import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../app/harness.js';
import { compiledBuild, type Build } from '../replications/compiled-build.js';
import { openEditor, type EditorService } from './editor-service.js';

describe('the flow editor: compare a draft with what is saved', () => {
  let editor: EditorService;
  let h: Harness;
  let build: Build;
  let files: Record<string, any>;
  let version: string;

  beforeAll(async () => {
    build = await compiledBuild();
    editor = await openEditor('editor-compare', { cliScript: build.cli });
    ({ h, files, version } = editor);
  }, 300_000);
  afterAll(async () => {
    await editor.close();
    build.remove();
  });

  /** Every Chinese prompt a little longer (a pause at its end): callers spend longer in the IVR. */
  const longerPrompts = () => {
    const prompts = structuredClone(files['flows/prompts.json']);
    for (const p of Object.values(prompts.prompts) as Array<{ text: Record<string, string> }>) p.text['zh-CN'] = p.text['zh-CN'] + '。'.repeat(5);
    return { 'flows/prompts.json': prompts };
  };

  it('replays the sample trace 20 times against saved and draft, in another process, and gives the deltas with intervals and the changed calls', async () => {
    let finished = false;
    const compare = request(h.internal)
      .post('/designer/api/compare')
      .send({ baseVersion: version, changes: longerPrompts() })
      .then((res) => {
        finished = true;
        return res;
      });
    // One comparison at a time: a second one while this runs is turned away.
    await new Promise((r) => setTimeout(r, 300));
    const second = await request(h.internal).post('/designer/api/compare').send({ changes: {} });
    expect(second.status).toBe(429);
    expect(second.body.error).toBe('DESIGNER_COMPARE_BUSY');
    // The service answers Twilio's side while the comparison runs.
    let answeredWhileRunning = 0;
    while (!finished) {
      const health = await request(h.server).get('/health');
      expect(health.status).toBe(200);
      if (!finished) answeredWhileRunning++;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(answeredWhileRunning).toBeGreaterThan(2);

    const res = await compare;
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r).toMatchObject({
      trace: 'sample',
      replications: { n: 20, seed: 1 },
      elapsedMs: expect.any(Number),
      baselineVersion: version,
      decisions: { compared: 3000 },
      baseline: { calls: 3000, serviceLevel: expect.any(Number), containmentRate: expect.any(Number) },
      candidate: { calls: 3000 },
    });
    expect(r.candidateVersion).not.toBe(version);
    // Longer prompts keep callers longer in the IVR: the delta says so, with an interval around it.
    expect(r.delta.overall.avgIvrSec).toBeGreaterThan(0);
    expect(r.deltaIntervals.overall.serviceLevelPp).toMatchObject({ mean: expect.any(Number), ciLow: expect.any(Number), ciHigh: expect.any(Number) });
    expect(r.changedCalls.count).toBeGreaterThan(0);
    expect(r.changedCalls.calls.length).toBe(Math.min(200, r.changedCalls.count));
    expect(r.baseline).not.toHaveProperty('scenario');
  }, 300_000);

  it('answers a draft that does not load with 422, and a bad request with 400 naming the field', async () => {
    const flow = structuredClone(files['flows/vip-gold.json']);
    flow.initial = 'nowhere';
    const bad = await request(h.internal).post('/designer/api/compare').send({ changes: { 'flows/vip-gold.json': flow } }).expect(422);
    expect(bad.body.issues).toContainEqual(expect.objectContaining({ file: 'flows/vip-gold.json', severity: 'error' }));
    const r1 = await request(h.internal).post('/designer/api/compare').send({ changes: {}, replications: 1 }).expect(400);
    expect(r1.body.message).toMatch(/replications: 1, expected a whole number from 2/);
    const r2 = await request(h.internal).post('/designer/api/compare').send({ changes: {}, trace: '../../etc/passwd' }).expect(400);
    expect(r2.body.message).toMatch(/trace:/);
  });
});
