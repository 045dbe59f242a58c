import { createHash } from 'node:crypto';

export const HTML = 'text/html; charset=utf-8';

/** A self-contained page and the Content-Security-Policy it is served with. */
export interface Page {
  html: string;
  csp: string;
}

/**
 * Wraps one self-contained HTML document (inline CSS and JS, nothing fetched from elsewhere).
 * The policy lets the page's own scripts run (by hash: no other inline script or `on…`
 * attribute can) and lets it talk only to this service, so the page works offline and
 * nothing it shows, such as a flow diagram, can load or send anything elsewhere.
 */
export function htmlPage(html: string): Page {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
  const csp = [
    "default-src 'none'",
    `script-src ${hashes.join(' ') || "'none'"}`,
    "style-src 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}
