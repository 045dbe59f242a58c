import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { scratch } from '../helpers/trace-files.js';
import { launchChromium, record } from './chromium.js';

/** The replay report page, opened from disk as a user would, at desktop and narrow laptop widths. */
describe('the HTML replay report in a browser', () => {
  let browser: Browser;
  let tmp: ReturnType<typeof scratch>;
  const reports: Record<string, string> = {};

  async function report(name: string, trace: string): Promise<void> {
    const out = join(tmp.dir, name);
    expect(await runCli(['replay', trace, '--out', out], bufferIO())).toBe(0);
    reports[name] = join(out, 'report.html');
  }

  beforeAll(async () => {
    tmp = scratch();
    // 8,800 calls at about 850 a day: 2025-03-03 00:00 to 2025-03-12 09:22.
    const tenDays = join(tmp.dir, 'ten-days.jsonl');
    const gen = bufferIO();
    expect(
      await runCli(['gen', '--calls', '8800', '--seed', '3', '--day-profile', 'data/day-profile.json', '--rate-per-hour', '40', '--start', '2025-03-03T00:00:00+08:00', '--out', tenDays], gen),
    ).toBe(0);
    await report('sample', 'data/traces/sample.jsonl');
    await report('ten-days', tenDays);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    tmp?.remove();
  });

  interface Layout {
    scrollWidth: number;
    clientWidth: number;
    scrollHeight: number;
    /** Tables and charts wider than the element holding them. */
    overflowing: string[];
    /** Names of table rows that take more than one line. */
    wrappedRowNames: string[];
    partialMarkers: number;
    /** Width in pixels of a full-page screenshot. */
    screenshotWidth?: number;
  }

  // Runs in the page (a string: this project's TypeScript has no DOM types).
  const MEASURE = `(() => {
    const overflowing = [];
    for (const el of document.querySelectorAll('table, svg')) {
      const w = el.getBoundingClientRect().width;
      const room = el.parentElement.getBoundingClientRect().width;
      if (w > room + 0.5) overflowing.push(el.tagName + ' ' + (el.getAttribute('class') ?? el.getAttribute('aria-label') ?? '') + ': ' + Math.round(w) + ' px in ' + Math.round(room) + ' px');
    }
    // Row names (queue vip-diamond, segment high-data, 2025-03-13 (0.8 h)) broken over two lines.
    const wrappedRowNames = [];
    for (const th of document.querySelectorAll('tbody th')) {
      const range = document.createRange();
      range.selectNodeContents(th);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
      if (lines.size > 1) wrappedRowNames.push(th.textContent);
    }
    const partialMarkers = [...document.querySelectorAll('circle.partial')].filter((c) => c.getBoundingClientRect().width > 0).length;
    const d = document.documentElement;
    return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, scrollHeight: d.scrollHeight, overflowing, wrappedRowNames, partialMarkers };
  })()`;

  async function layout(name: string, width: number): Promise<Layout> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const rec = record(page);
    try {
      await page.goto(pathToFileURL(reports[name]!).href);
      const l = (await page.evaluate(MEASURE)) as Layout;
      // A full-page screenshot is as wide as the page's content: its PNG header holds the width.
      l.screenshotWidth = (await page.screenshot({ fullPage: true })).readUInt32BE(16);
      expect(rec.errors).toEqual([]);
      expect(rec.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      return l;
    } finally {
      await page.close();
    }
  }

  for (const name of ['sample', 'ten-days']) {
    for (const width of [1400, 800]) {
      it(`${name} at ${width} px: nothing wider than the window, no table or chart wider than its container, no row name broken over two lines, the full-page screenshot as wide as the window`, async () => {
        const l = await layout(name, width);
        expect(l.overflowing).toEqual([]);
        expect(l.scrollWidth).toBeLessThanOrEqual(l.clientWidth);
        expect(l.wrappedRowNames).toEqual([]);
        expect(l.screenshotWidth).toBe(width);
      });
    }
  }

  it('shows the sample morning’s last, three-minute interval as partial on its charts', async () => {
    expect((await layout('sample', 1400)).partialMarkers).toBeGreaterThan(0);
    expect(readFileSync(reports['sample']!, 'utf8')).toContain('11:00 (3 of 30\u00a0min)');
  });

  it('keeps the page of a ten-day trace to a few screens, not one row per interval', async () => {
    const l = await layout('ten-days', 1400);
    expect(l.scrollHeight).toBeLessThan(8000);
  });
});
