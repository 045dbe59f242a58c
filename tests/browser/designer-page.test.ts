import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Harness } from '../app/harness.js';
import { launchChromium, listen, record, type PageRecord } from './chromium.js';

const DIAMOND = '+8613800000001';
const FOUR_G = '+8613800000127';

describe('the designer page in a browser', () => {
  let h: Harness;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let rec: PageRecord;

  beforeAll(async () => {
    h = await startService('browser-designer');
    origin = await listen(h);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function openWith(flow: string, caller: string): Promise<void> {
    page = await browser.newPage();
    rec = record(page);
    await page.goto(`${origin}/designer`);
    await page.selectOption('#flow-select', `flows/${flow}.json`);
    await page.locator(`#diagram svg[data-flow="${flow}"]`).waitFor();
    await page.click('#tabs [data-tab="try"]');
    await page.selectOption('#caller-select', caller);
    await page.locator('#walk-status[data-status="waiting"]').waitFor();
  }

  const text = (selector: string) => page.locator(selector).textContent();
  const chips = (set: string) => page.locator(`#fired [data-set="${set}"] .chip`).allTextContents();

  it('walks a diamond VIP who presses 0 to the vip-diamond desk and shows the rules that decided it', async () => {
    await openWith('vip-diamond', DIAMOND);
    expect(await page.locator('#transcript li[data-kind="prompt"]').first().getAttribute('data-prompt')).toBe('greeting.vip-diamond');
    expect(await page.locator('#diagram g.node.current').getAttribute('id')).toBe('menu.welcome');
    const served = (await request(h.server).get('/health')).body.config.version as string;
    expect(await page.getAttribute('#config-state', 'data-version')).toBe(served);
    expect(await page.locator('#config-error').isHidden()).toBe(true);

    await page.click('#keypad button[data-key="0"]');
    await page.locator('#walk-status[data-status="ended"]').waitFor();
    expect(await text('#decision [data-field="outcome"]')).toBe('handoff');
    expect(await text('#decision [data-field="route-queue"]')).toBe('vip-diamond');
    expect(await text('#decision [data-field="route"]')).toContain('priority 100 (rule diamond-dedicated-desk)');
    expect(await text('#decision [data-field="segment"]')).toBe('vip-diamond (rule diamond-vip, priority 100)');
    expect(await chips('routing')).toEqual(['diamond-dedicated-desk']);
    expect(await chips('popups')).toEqual(['heavy-data-user', 'long-tenure-vip']);
    expect(await page.locator('#decision [data-field="tags"] li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-rule'), e.getAttribute('data-severity')]))).toEqual([
      ['heavy-data-user', 'info'],
      ['long-tenure-vip', 'info'],
    ]);
    expect(await page.locator('#transcript li[data-kind="key"]').allTextContents()).toEqual(['25.4s⌨ key 0']);
    expect(await page.locator('#keypad button[data-key="1"]').isDisabled()).toBe(true);

    expect(rec.offOrigin(origin)).toEqual([]);
    expect(rec.errors).toEqual([]);
    await page.close();
  });

  it('walks a 4G caller through the guided restart (3, 1, 1) to self-service with the troubleshooting SMS', async () => {
    await openWith('4g', FOUR_G);
    for (const key of ['3', '1', '1']) await page.click(`#keypad button[data-key="${key}"]`);
    await page.locator('#walk-status[data-status="ended"]').waitFor();
    expect(await text('#decision [data-field="outcome"]')).toBe('selfServed');
    expect(await text('#decision [data-field="route"]')).toBe('not queued');
    expect(await page.locator('#decision [data-field="sms"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-template')))).toEqual(['troubleshooting-tips']);
    expect(await text('#decision [data-field="sms"]')).toContain('rule tips-after-successful-diagnosis');
    expect(await chips('sms')).toEqual(['tips-after-successful-diagnosis']);
    expect(await page.locator('#transcript li[data-kind="key"]').count()).toBe(3);
    expect(await page.locator('#diagram g.node.current').getAttribute('id')).toBe('selfServed');

    expect(rec.offOrigin(origin)).toEqual([]);
    expect(rec.errors).toEqual([]);
    await page.close();
  });
});

describe('the designer page behind INTERNAL_TOKEN', () => {
  const TOKEN = 'design0123456789abcdef0123456789';
  let h: Harness;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startService('browser-designer-token', { INTERNAL_TOKEN: TOKEN });
    origin = await listen(h);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opened once with ?token=, reads flows and customers and walks calls with the cookie alone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const rec = record(page);
    await page.goto(`${origin}/designer?token=${TOKEN}`);
    expect(page.url()).toBe(`${origin}/designer`);
    await page.selectOption('#flow-select', 'flows/vip-diamond.json');
    await page.locator('#diagram svg[data-flow="vip-diamond"]').waitFor();
    await page.click('#tabs [data-tab="try"]');
    await page.selectOption('#caller-select', DIAMOND);
    await page.locator('#walk-status[data-status="waiting"]').waitFor();
    await page.click('#keypad button[data-key="0"]');
    await page.locator('#walk-status[data-status="ended"]').waitFor();
    expect(await page.locator('#decision [data-field="route-queue"]').textContent()).toBe('vip-diamond');
    expect(rec.requests.filter((u) => u.includes(TOKEN))).toEqual([`${origin}/designer?token=${TOKEN}`]);
    expect(rec.errors).toEqual([]);
    await context.close();
  });
});
