import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Harness } from '../app/harness.js';
import { cli } from '../helpers/cli.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { launchChromium, listen, record, type PageRecord } from './chromium.js';

/** A high-data customer (the customers file's segment rules send them to flows/high-data.json). */
const HIGH_DATA = '+8613800000176';

/** Every JSON file of the configuration copy, as text, by path relative to it. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const sub of ['flows', 'flows/shared', 'rules']) {
    for (const f of readdirSync(join(dir, sub))) if (f.endsWith('.json')) out[`${sub}/${f}`] = readFileSync(join(dir, sub, f), 'utf8');
  }
  return out;
}

const pretty = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** The editor on a private copy of the configuration: what a designer does, and what lands in the files. */
describe('the flow editor in a browser', () => {
  let config: ConfigCopy;
  let h: Harness;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let rec: PageRecord;

  /** The files as shipped, before any test saved. */
  let original: Record<string, string>;

  beforeAll(async () => {
    config = copyConfig();
    original = snapshot(config.dir);
    h = await startService('browser-editor', config.env);
    origin = await listen(h);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    config?.remove();
  });

  async function open(flowFile: string): Promise<void> {
    context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    // A check runs validate and lint: seconds on a busy machine.
    page.setDefaultTimeout(90_000);
    rec = record(page);
    await page.goto(`${origin}/designer`);
    await page.locator('#check-state[data-status="valid"]').waitFor();
    await page.selectOption('#flow-select', flowFile);
    await page.locator(`#diagram svg[data-flow="${flowFile.replace(/^flows\/|\.json$/g, '')}"]`).waitFor();
  }
  const served = async () => ((await (await fetch(`${origin}/designer/api/workspace`)).json()) as { version: string }).version;
  const pane = (selector: string) => page.locator(`#state-pane ${selector}`);

  it('adds a menu key to a new state with a new prompt, shows the error until it is fixed, walks it, compares and saves exactly that', { timeout: 180_000 }, async () => {
    const before = snapshot(config.dir);
    await open('flows/high-data.json');

    // Readable at the default zoom: every state name at least 11 px on screen, at 1,400 px wide.
    const sizes = await page.locator('#diagram text.title').evaluateAll((els) => els.map((e) => Number(e.getAttribute('font-size')) * ((e as unknown as { getScreenCTM(): { a: number } | null }).getScreenCTM()?.a ?? 0)));
    expect(sizes.length).toBeGreaterThan(8);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    // Prompt texts, not ids, in the chosen language.
    expect(await page.locator('#diagram g.node#dataBalance text.prompt').first().textContent()).toMatch(/[\u4e00-\u9fff]/);
    await page.selectOption('#lang', 'en-US');
    expect(await page.locator('#diagram g.node#dataBalance text.prompt').first().textContent()).toMatch(/^[\x20-\x7e]+$/);

    // Key 5 on the menu leads to a new state "roaming".
    await page.click('#diagram g.node#menu > text.title');
    await pane('[data-field="add-event"]').selectOption('KEY.5');
    await pane('[data-field="add-target"]').selectOption({ label: '➕ a new state…' });
    await pane('[data-field="new-state"]').fill('roaming');
    await pane('[data-field="add-intent"]').fill('roaming');
    await pane('[data-action="add-transition"]').click();

    // It has no prompt and no way out: an error on the state, and Save is refused.
    await page.locator('#check-state[data-status="invalid"]').waitFor();
    await page.locator('#diagram g.node#roaming.has-error').waitFor();
    expect(await page.locator('#issues li[data-severity="error"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#save').isDisabled()).toBe(true);
    expect(await page.locator('#state-pane h2').textContent()).toBe('roaming');

    // A new prompt: its zh-CN text is required, and the error sits on that field until it is typed.
    await pane('[data-field="add-prompt"]').fill('info.roaming');
    await pane('[data-action="add-prompt"]').click();
    await pane('.prompt-editor[data-prompt="info.roaming"] .field.invalid textarea[data-lang="zh-CN"]').waitFor();
    await pane('textarea[data-lang="zh-CN"]').fill('国际漫游日包每天二十五元，出境自动生效。');
    await pane('textarea[data-lang="en-US"]').fill('International roaming day passes cost 25 yuan a day and start when you land.');
    await pane('input[data-field="durationSec"]').fill('6');
    await pane('[data-field="add-event"]').selectOption('PROMPT_END');
    await pane('[data-field="add-target"]').selectOption('anythingElse');
    await pane('[data-action="add-transition"]').click();
    await page.locator('#check-state[data-status="valid"]').waitFor();
    expect(await page.locator('#diagram g.node.has-error').count()).toBe(0);
    expect(await page.locator('#diagram g.node#roaming text.prompt').first().textContent()).toContain('International roaming');

    // Walk a call through the new path, against the draft.
    await page.click('#tabs [data-tab="try"]');
    await page.selectOption('#caller-select', HIGH_DATA);
    await page.locator('#walk-status[data-status="waiting"]').waitFor();
    await page.click('#keypad button[data-key="5"]');
    await page.locator('#walk-status[data-status="waiting"]', { hasText: 'anythingElse' }).waitFor();
    expect(await page.locator('#transcript li[data-prompt="info.roaming"]').count()).toBe(1);
    expect(await page.locator('#diagram g.node#roaming.visited').count()).toBe(1);
    await page.click('#keypad button[data-key="0"]');
    await page.locator('#walk-status[data-status="ended"]').waitFor();
    expect(await page.locator('#decision [data-field="outcome"]').textContent()).toBe('handoff');

    // Compare with saved: deltas with their intervals, and the calls that change.
    await page.click('#compare');
    await page.locator('#compare-result[data-status="done"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('#compare-result table.deltas tr[data-kpi="containmentRatePp"]').count()).toBe(1);
    expect(await page.locator('#compare-result table.deltas tbody').textContent()).toMatch(/\[[−+±]\d/);
    expect(await page.locator('#compare-result [data-field="changed-calls"]').textContent()).toMatch(/^\d+ call\(s\) treated or ending differently/);

    // Save: exactly the edit lands in the two files, and the configuration validates.
    const version = await served();
    await page.fill('#save-message', 'Key 5: roaming information');
    await page.click('#save');
    await page.locator('#save-result[data-result="ok"]').waitFor();
    expect(await served()).not.toBe(version);
    await page.locator('#draft-state[data-dirty="false"]').waitFor();

    const after = snapshot(config.dir);
    const flow = JSON.parse(before['flows/high-data.json']!);
    flow.states.menu.on['KEY.5'] = { target: 'roaming', actions: [{ type: 'setIntent', params: { intent: 'roaming' } }] };
    flow.states.roaming = { entry: [{ type: 'say', params: { prompt: 'info.roaming' } }], on: { PROMPT_END: 'anythingElse' } };
    expect(after['flows/high-data.json']).toBe(pretty(flow));
    const prompts = JSON.parse(before['flows/prompts.json']!);
    prompts.prompts['info.roaming'] = {
      text: { 'zh-CN': '国际漫游日包每天二十五元，出境自动生效。', 'en-US': 'International roaming day passes cost 25 yuan a day and start when you land.' },
      durationSec: 6,
    };
    expect(after['flows/prompts.json']).toBe(pretty(prompts));
    for (const f of Object.keys(before)) if (f !== 'flows/high-data.json' && f !== 'flows/prompts.json') expect(after[f], f).toBe(before[f]);
    const validate = await cli('validate', '--flows', config.paths.flowsDir, '--rules', config.paths.rulesDir, '--customers', config.paths.customersFile);
    expect(validate.code, validate.out + validate.err).toBe(0);

    // The saved version is listed.
    await page.click('#tabs [data-tab="versions"]');
    await page.locator('#versions li', { hasText: 'Key 5: roaming information' }).waitFor();

    expect(rec.offOrigin(origin)).toEqual([]);
    expect(rec.errors).toEqual([]);
    await context.close();
  });

  it('refuses a save whose draft started from another version (409) and shows the version being served', { timeout: 120_000 }, async () => {
    await open('flows/high-data.json');
    const startedFrom = await page.getAttribute('#config-state', 'data-version');
    await page.click('#zoom-fit');
    await page.click('#diagram g.node#anythingElse > text.title');
    await pane('input[data-field="timeoutSec"]').fill('7');
    await page.locator('#check-state[data-status="valid"]').waitFor();
    await page.locator('#save:not([disabled])').waitFor();

    // Meanwhile someone else publishes a change.
    const ws = (await (await fetch(`${origin}/designer/api/workspace`)).json()) as { version: string; files: Record<string, { description?: string }> };
    const routing = ws.files['rules/routing.json']!;
    routing.description = `${routing.description} (edited elsewhere)`;
    const other = await fetch(`${origin}/designer/api/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ baseVersion: ws.version, changes: { 'rules/routing.json': routing } }) });
    expect(other.status).toBe(200);
    const now = ((await other.json()) as { version: string }).version;
    const fileBefore = readFileSync(join(config.dir, 'flows/high-data.json'), 'utf8');

    await page.click('#save');
    const result = page.locator('#save-result[data-result="refused"]');
    await result.waitFor();
    expect(await result.textContent()).toContain(`the service now runs ${now}`);
    expect(await result.textContent()).toContain(`started from ${startedFrom}`);
    expect(readFileSync(join(config.dir, 'flows/high-data.json'), 'utf8')).toBe(fileBefore);
    expect(readFileSync(join(config.dir, 'rules/routing.json'), 'utf8')).toContain('(edited elsewhere)');
    // The draft is kept, not merged.
    expect(await page.getAttribute('#draft-state', 'data-dirty')).toBe('true');
    expect(rec.errors.filter((e) => !/409/.test(e))).toEqual([]);
    await context.close();
  });

  it('undoes and redoes edits, and keeps the draft across a reload', { timeout: 120_000 }, async () => {
    await open('flows/high-data.json');
    const nodes = () => page.locator('#diagram g.node.card').count();
    const cards = await nodes();
    await page.click('#add-state');
    await page.locator('#state-pane h2', { hasText: 'newState' }).waitFor();
    expect(await nodes()).toBe(cards + 1);
    await pane('input[data-field="name"]').fill('surveyIntro');
    await pane('input[data-field="name"]').press('Enter');
    await page.locator('#diagram g.node#surveyIntro').waitFor();
    expect(await page.locator('#diagram g.node#newState').count()).toBe(0);

    await page.click('#undo');
    await page.locator('#diagram g.node#newState').waitFor();
    await page.click('#undo');
    expect(await nodes()).toBe(cards);
    await page.locator('#draft-state[data-dirty="false"]').waitFor();
    expect(await page.locator('#undo').isDisabled()).toBe(true);

    await page.click('#redo');
    await page.click('#redo');
    await page.locator('#diagram g.node#surveyIntro').waitFor();
    expect(await page.locator('#redo').isDisabled()).toBe(true);

    // A draft lives in the browser until it is saved: a reload keeps it.
    await page.reload();
    await page.selectOption('#flow-select', 'flows/high-data.json');
    await page.locator('#diagram g.node#surveyIntro').waitFor();
    expect(await page.getAttribute('#draft-state', 'data-dirty')).toBe('true');
    await page.click('#discard');
    await page.locator('#draft-state[data-dirty="false"]').waitFor();
    expect(await page.locator('#diagram g.node#surveyIntro').count()).toBe(0);
    expect(rec.errors).toEqual([]);
    await context.close();
  });
  it('edits a routing rule in its form, which writes a json-rules-engine rule into the draft', { timeout: 120_000 }, async () => {
    await open('flows/high-data.json');
    await page.click('#tabs [data-tab="rules"]');
    await page.selectOption('#rules-file', 'rules/routing.json');
    const rule = page.locator('#rules-body fieldset.rule[data-rule="diamond-dedicated-desk"]');
    await rule.locator('input[data-field="priority"]').fill('120');
    await rule.locator('button', { hasText: '+ condition' }).click();
    const added = page.locator('#rules-body fieldset.rule[data-rule="diamond-dedicated-desk"] .condition').last();
    await added.locator('input[data-field="fact"]').fill('dataUsedPct');
    await added.locator('select[data-field="operator"]').selectOption('greaterThanInclusive');
    await added.locator('input[data-field="value"]').fill('80');
    await page.locator('#check-state[data-status="valid"]').waitFor();
    const stored = JSON.parse(((await page.evaluate("localStorage.getItem('ivr-sim:designer:draft')")) as string | null) ?? 'null') as { changes: Record<string, { rules: unknown[] }> };
    expect(Object.keys(stored.changes)).toEqual(['rules/routing.json']);
    expect(stored.changes['rules/routing.json']!.rules[0]).toEqual({
      name: 'diamond-dedicated-desk',
      priority: 120,
      conditions: { all: [{ fact: 'segment', operator: 'equal', value: 'vip-diamond' }, { fact: 'dataUsedPct', operator: 'greaterThanInclusive', value: 80 }] },
      event: { type: 'route', params: { queue: 'vip-diamond', overflow: [{ afterSec: 20, queue: 'vip' }, { afterSec: 60, queue: 'general' }] } },
    });
    await page.click('#discard');
    await page.locator('#draft-state[data-dirty="false"]').waitFor();
    expect(rec.errors).toEqual([]);
    await context.close();
  });
  it('restores the configuration as it was before the first save from the versions list', { timeout: 120_000 }, async () => {
    await open('flows/high-data.json');
    expect(snapshot(config.dir)).not.toEqual(original);
    await page.click('#tabs [data-tab="versions"]');
    const first = page.locator('#versions li', { hasText: 'the files as they were before the first save' });
    await first.locator('button[data-action="restore"]').click();
    expect(await first.locator('button[data-action="restore"]').textContent()).toBe('Restore: sure?');
    await first.locator('button[data-action="restore"]').click();
    await page.locator('#save-result[data-result="ok"]').waitFor();
    expect(snapshot(config.dir)).toEqual(original);
    await page.locator('#diagram g.node#menu').waitFor();
    expect(await page.locator('#diagram g.node#roaming').count()).toBe(0);
    expect(rec.errors).toEqual([]);
    await context.close();
  });
});
