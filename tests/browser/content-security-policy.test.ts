import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveCall } from '../app/call-driver.js';
import { startService, type Harness } from '../app/harness.js';
import { callSid } from '../helpers/twilio.js';
import { launchChromium, listen, record, type PageRecord } from './chromium.js';

const DIAMOND = '+8613800000001';
const REPEAT_4G = '+8613800000127';

/** What the browser reports of one blocked thing. */
interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/**
 * Browser-side code, as text (the specs are compiled without the DOM's types). The init script
 * runs before the page's own and is not subject to its policy: it records every violation.
 */
const RECORD_VIOLATIONS = `
  window.cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample });
  });`;

/** Code slipped into the page after it loaded, as an injection would: the policy must refuse every piece. */
const INJECT = `{
  const script = document.createElement('script');
  script.textContent = 'window.injectedScriptRan = true;';
  document.body.append(script);
  const style = document.createElement('style');
  style.textContent = 'body { background: red; }';
  document.head.append(style);
  const div = document.createElement('div');
  div.setAttribute('style', 'color: red');
  document.body.append(div);
}`;

async function watchedPage(browser: Browser): Promise<{ page: Page; rec: PageRecord; violations: () => Promise<Violation[]> }> {
  const page = await browser.newPage();
  const rec = record(page);
  await page.addInitScript({ content: RECORD_VIOLATIONS });
  return { page, rec, violations: async () => (await page.evaluate('window.cspViolations')) as Violation[] };
}

describe('the pages run under their Content-Security-Policy without violating it', () => {
  let h: Harness;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startService('browser-csp');
    origin = await listen(h);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('the designer draws a diagram, opens a state form, walks a call to its decision, with no violation; injected code is refused', async () => {
    const { page, rec, violations } = await watchedPage(browser);
    await page.goto(`${origin}/designer`);
    await page.selectOption('#flow-select', 'flows/vip-diamond.json');
    await page.locator('#diagram svg[data-flow="vip-diamond"]').waitFor();
    await page.click('#zoom-fit');
    await page.click('#diagram g.node#agent > text.title');
    await page.locator('#state-pane h2', { hasText: 'agent' }).waitFor();
    await page.click('#tabs [data-tab="try"]');
    await page.selectOption('#caller-select', DIAMOND);
    await page.locator('#walk-status[data-status="waiting"]').waitFor();
    await page.click('#keypad button[data-key="0"]');
    await page.locator('#walk-status[data-status="ended"]').waitFor();
    await page.click('#profile-editor summary');
    await page.click('#use-profile');
    await page.locator('#walk-status[data-status="waiting"]').waitFor();
    expect(await page.locator('#diagram g.node.current').count()).toBe(1);

    expect(await violations()).toEqual([]);
    expect(rec.errors).toEqual([]);
    expect(rec.offOrigin(origin)).toEqual([]);

    await page.evaluate(INJECT);
    await expect.poll(async () => (await violations()).map((v) => v.directive).sort()).toEqual(['script-src-elem', 'style-src-attr', 'style-src-elem']);
    expect(await page.evaluate('window.injectedScriptRan')).toBeUndefined();
    await page.close();
  });

  it('the agent desktop connects and shows a screen pop with no violation; injected code is refused', async () => {
    const { page, rec, violations } = await watchedPage(browser);
    await page.goto(`${origin}/agent?agent=zhao.li&queues=4g`);
    await page.locator('#status[data-state="connected"]').waitFor();
    await driveCall(h, callSid(41), REPEAT_4G, [{ key: '0' }]);
    await page.locator(`#current article[data-call-sid="${callSid(41)}"]`).waitFor();
    await page.click(`#recent li[data-call-sid="${callSid(41)}"]`);

    expect(await violations()).toEqual([]);
    expect(rec.errors).toEqual([]);
    expect(rec.offOrigin(origin)).toEqual([]);

    await page.evaluate(INJECT);
    await expect.poll(async () => (await violations()).map((v) => v.directive).sort()).toEqual(['script-src-elem', 'style-src-attr', 'style-src-elem']);
    expect(await page.evaluate('window.injectedScriptRan')).toBeUndefined();
    await page.close();
  });
});
