import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { renderCompareHtml, type DeltaInterval, type DeltaIntervals } from '../../src/core/replay/compare-html.js';
import { reportDelta, type KpiDelta } from '../../src/core/replay/report-delta.js';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { scratch } from '../helpers/trace-files.js';
import { launchChromium, record } from './chromium.js';

async function cli(...argv: string[]): Promise<string> {
  const io = bufferIO();
  expect(await runCli(argv, io), io.stderr).toBe(0);
  return io.stdout;
}

/** The side-by-side comparison page, opened from disk as a user would, at desktop and narrow laptop widths. */
describe('the HTML comparison in a browser', () => {
  let browser: Browser;
  let tmp: ReturnType<typeof scratch>;
  let fourG: ConfigCopy;
  const pages: Record<string, string> = {};

  async function compare(name: string, trace: string): Promise<void> {
    const out = join(tmp.dir, name);
    await cli('compare', trace, '--baseline', '.', '--candidate', fourG.dir, '--out', out);
    pages[name] = join(out, 'compare.html');
  }

  beforeAll(async () => {
    tmp = scratch();
    fourG = copyConfig();
    fourG.edit('rules/routing.json', (f) => (f.rules.find((r: { name: string }) => r.name === '4g-desk').event.params.overflow[0].afterSec = 15));
    const tenDays = join(tmp.dir, 'ten-days.jsonl');
    await cli('gen', '--calls', '8800', '--seed', '3', '--day-profile', 'data/day-profile.json', '--rate-per-hour', '40', '--start', '2025-03-03T00:00:00+08:00', '--out', tenDays);
    await compare('sample', 'data/traces/sample.jsonl');
    await compare('ten-days', tenDays);

    // With replications the result carries deltaIntervals: the page shows them next to every delta.
    const base = JSON.parse(await cli('replay', 'data/traces/sample.jsonl', '--json')) as ReplayReport;
    const cand = JSON.parse(await cli('replay', 'data/traces/sample.jsonl', '--json', '--rules', join(fourG.dir, 'rules'))) as ReplayReport;
    const result = JSON.parse(readFileSync(join(tmp.dir, 'sample', 'compare.json'), 'utf8'));
    const delta = reportDelta(base, cand);
    const around = (d: KpiDelta): Partial<Record<keyof KpiDelta, DeltaInterval>> =>
      Object.fromEntries(
        Object.entries(d)
          .filter((e): e is [string, number] => typeof e[1] === 'number')
          .map(([k, x], i) => [k, { mean: x, ciLow: x - 1.234, ciHigh: x + 1.234, p025: x - 12.5, p975: x + 12.5, significant: i % 2 === 0 }]),
      );
    const deltaIntervals: DeltaIntervals = {
      overall: around(delta.overall),
      bySegment: Object.fromEntries(Object.entries(delta.bySegment).map(([k, d]) => [k, around(d)])),
      byQueue: Object.fromEntries(Object.entries(delta.byQueue).map(([k, d]) => [k, around(d)])),
    };
    const view = { ...result, delta, baseline: { dir: '.', report: base }, candidate: { dir: fourG.dir, report: cand } };
    pages['intervals'] = join(tmp.dir, 'intervals.html');
    writeFileSync(pages['intervals'], renderCompareHtml({ ...view, deltaIntervals }));
    pages['no-intervals'] = join(tmp.dir, 'no-intervals.html');
    writeFileSync(pages['no-intervals'], renderCompareHtml(view));
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    fourG?.remove();
    tmp?.remove();
  });

  interface Layout {
    scrollWidth: number;
    clientWidth: number;
    /** Tables and charts wider than the element holding them. */
    overflowing: string[];
    /** Charts with both a baseline line and a dashed candidate line drawn. */
    overlaid: number;
    intervals: number;
  }

  // Runs in the page (a string: this project's TypeScript has no DOM types).
  const MEASURE = `(() => {
    const overflowing = [];
    for (const el of document.querySelectorAll('table, svg')) {
      const w = el.getBoundingClientRect().width;
      const room = el.parentElement.getBoundingClientRect().width;
      if (w > room + 0.5) overflowing.push(el.tagName + ' ' + (el.getAttribute('class') ?? el.getAttribute('aria-label') ?? '') + ': ' + Math.round(w) + ' px in ' + Math.round(room) + ' px');
    }
    const overlaid = [...document.querySelectorAll('svg')].filter((s) => {
      const paths = [...s.querySelectorAll('path')];
      const named = (n) => paths.find((p) => p.querySelector('title')?.textContent === n);
      // The candidate is dashed, so that the baseline shows through where the two coincide.
      return named('baseline') && named('candidate')?.getAttribute('stroke-dasharray') && !named('baseline').getAttribute('stroke-dasharray');
    }).length;
    const intervals = [...document.querySelectorAll('.ci')].filter((e) => e.getBoundingClientRect().width > 0).length;
    const d = document.documentElement;
    return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, overflowing, overlaid, intervals };
  })()`;

  async function layout(name: string, width: number): Promise<Layout> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const rec = record(page);
    try {
      await page.goto(pathToFileURL(pages[name]!).href);
      const l = (await page.evaluate(MEASURE)) as Layout;
      expect(rec.errors).toEqual([]);
      expect(rec.requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      return l;
    } finally {
      await page.close();
    }
  }

  for (const name of ['sample', 'ten-days', 'intervals']) {
    for (const width of [1400, 800]) {
      it(`${name} at ${width} px: nothing wider than the window, no table or chart wider than its container, no request`, async () => {
        const l = await layout(name, width);
        expect(l.overflowing).toEqual([]);
        expect(l.scrollWidth).toBeLessThanOrEqual(l.clientWidth);
      });
    }
  }

  it('overlays the baseline and the candidate on every chart: four overall, one per queue', async () => {
    const queues = Object.keys(JSON.parse(readFileSync(join(tmp.dir, 'sample', 'compare.json'), 'utf8')).delta.byQueue).length;
    expect((await layout('sample', 1400)).overlaid).toBe(4 + queues);
    expect((await layout('ten-days', 1400)).overlaid).toBe(4 + queues);
  });

  it('shows the intervals and significance of the deltas when the result has them, and no trace of them when not', async () => {
    const queues = Object.keys(JSON.parse(readFileSync(join(tmp.dir, 'sample', 'compare.json'), 'utf8')).delta.byQueue).length;
    expect((await layout('intervals', 1400)).intervals).toBeGreaterThan(12 + queues);
    const html = readFileSync(pages['intervals']!, 'utf8');
    expect(html).toContain('<th class="iv">over replications</th>');
    expect(html).toMatch(/95%\u00a0CI [+−±]\d+\.\d\u00a0…\u00a0[+−±]\d+\.\d\u00a0pp/);
    expect(html).toContain('<span class="sig">significant</span>');
    expect(html).toContain('<span class="nsig">not significant</span>');
    for (const page of ['no-intervals', 'sample']) {
      const plain = readFileSync(pages[page]!, 'utf8');
      expect(plain).not.toContain('over replications');
      expect(plain).not.toContain('class="ci"');
      expect((await layout(page, 800)).intervals).toBe(0);
    }
  });
});
