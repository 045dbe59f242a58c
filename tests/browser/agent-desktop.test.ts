import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveCall } from '../app/call-driver.js';
import { startService, type Harness } from '../app/harness.js';
import { callSid } from '../helpers/twilio.js';
import { launchChromium, listen, record } from './chromium.js';

/** 赵先生: a 4G customer calling for the 4th time today, with two complaints (two warning tags). */
const REPEAT_4G = '+8613800000127';
const DIAMOND = '+8613800000001';

describe('the agent desktop in a browser', () => {
  let h: Harness;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startService('browser-agent');
    origin = await listen(h);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it("shows the caller's card and tags the moment a call is queued to the agent's queue, and only those calls", async () => {
    const page = await browser.newPage();
    const rec = record(page);
    await page.goto(`${origin}/agent`);
    await page.fill('#agent-id', 'zhao.li');
    await page.fill('#queues', '4g');
    await page.click('#connect');
    await page.locator('#status[data-state="connected"]').waitFor();
    expect(await page.getAttribute('#status', 'data-queues')).toBe('4g');

    // The webhooks Twilio would send: the caller presses 0 at the 4G menu and is queued to 4g.
    await driveCall(h, callSid(1), REPEAT_4G, [{ key: '0' }]);
    const card = page.locator(`#current article[data-call-sid="${callSid(1)}"]`);
    await card.waitFor();
    expect(await card.locator('[data-field="title"]').textContent()).toBe('赵先生');
    expect(await card.locator('[data-field="phone"]').textContent()).toBe('+86138****0127');
    expect(await card.locator('[data-field="queue"]').textContent()).toBe('queue 4g · priority 50');
    expect(await card.locator('[data-field="data-used"]').textContent()).toBe('42%');
    expect(await card.locator('[data-field="balance"]').textContent()).toBe('¥248.06');
    expect(await card.locator('[data-field="recent-calls"]').textContent()).toBe('3 in 24 h · 6 in 7 days');
    expect(await card.locator('[data-field="intents"]').textContent()).toBe('agent');
    const tags = card.locator('li.tag');
    expect(await tags.evaluateAll((els) => els.map((e) => [e.getAttribute('data-rule'), e.className, e.querySelector('.tag-text')!.textContent]))).toEqual([
      ['repeat-caller', 'tag severity-warning', '24小时内第4次来电 · 投诉风险'],
      ['complaint-history', 'tag severity-warning', '近90天投诉2次'],
    ]);
    // The full number never reaches the page.
    expect(await page.content()).not.toContain('13800000127');

    // A diamond call goes to vip-diamond, which this agent does not serve; the next 4G call shows.
    await driveCall(h, callSid(2), DIAMOND, [{ key: '0' }]);
    await driveCall(h, callSid(3), REPEAT_4G, [{ key: '0' }]);
    await page.locator(`#current article[data-call-sid="${callSid(3)}"]`).waitFor();
    expect(await page.locator('#recent li').evaluateAll((els) => els.map((e) => e.getAttribute('data-call-sid')))).toEqual([
      callSid(3),
      callSid(1),
    ]);

    expect(rec.offOrigin(origin)).toEqual([]);
    expect(rec.requests.some((u) => u.startsWith(`${origin}/agents/zhao.li/events?queues=4g`))).toBe(true);
    expect(rec.errors).toEqual([]);
    await page.close();
  });
});

describe('the agent desktop behind INTERNAL_TOKEN', () => {
  const TOKEN = 'desk0123456789abcdef0123456789ab';
  let h: Harness;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    h = await startService('browser-agent-token', { INTERNAL_TOKEN: TOKEN });
    origin = await listen(h);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('opened once with ?token=, the page drops the token from its address and its event stream gets in with the cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const rec = record(page);
    await page.goto(`${origin}/agent?token=${TOKEN}&agent=zhao.li&queues=4g`);
    await page.locator('#status[data-state="connected"]').waitFor();
    expect(page.url()).toBe(`${origin}/agent?agent=zhao.li&queues=4g`);
    const cookies = await context.cookies(origin);
    expect(cookies).toEqual([expect.objectContaining({ name: 'ivr_sim_internal', value: TOKEN, httpOnly: true, sameSite: 'Strict' })]);

    await driveCall(h, callSid(21), REPEAT_4G, [{ key: '0' }]);
    await page.locator(`#current article[data-call-sid="${callSid(21)}"]`).waitFor();
    expect(await page.evaluate('document.cookie')).toBe('');
    // Only the first document request named the token.
    expect(rec.requests.filter((u) => u.includes(TOKEN))).toEqual([`${origin}/agent?token=${TOKEN}&agent=zhao.li&queues=4g`]);
    expect(rec.errors).toEqual([]);
    await context.close();
  });

  it('without the token the page is refused with 401', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(`${origin}/agent`);
    expect(res!.status()).toBe(401);
    expect(await page.textContent('body')).toContain('internal token');
    await context.close();
  });
});
