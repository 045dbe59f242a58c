import { chromium, type Browser, type Page } from 'playwright-core';
import type { Harness } from '../app/harness.js';

/** Debian's Chromium (or the one $IVR_SIM_CHROMIUM names, as for scripts/prepare-test-env.mjs); a browser is never downloaded. */
export const CHROMIUM = process.env['IVR_SIM_CHROMIUM'] || '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Puts both listeners of the service on ephemeral ports of the loopback interface; returns the
 * origin of the internal one, where the pages are.
 */
export async function listen(h: Harness): Promise<string> {
  await h.app.listen(0, '127.0.0.1');
  return h.listenInternal();
}

/** What a page did that a test may want to hold against it. */
export interface PageRecord {
  /** Every URL the page requested (documents, fetches, EventSource, images…). */
  requests: string[];
  /** Uncaught exceptions and console errors (a Content-Security-Policy violation is one). */
  errors: string[];
  /** Requested URLs outside `origin`, other than data: URLs. */
  offOrigin(origin: string): string[];
}

export function record(page: Page): PageRecord {
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    requests,
    errors,
    offOrigin: (origin) => requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:')),
  };
}
