import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/config/package-root.js';
import { NamedError } from '../../core/errors/named-error.js';

export const HTML = 'text/html; charset=utf-8';

/** A self-contained page and the Content-Security-Policy it is served with. */
export interface Page {
  html: string;
  csp: string;
}

/** Where `npm run build:pages` (part of `npm run build`) writes the pages and their policies. */
export const BUILT_PAGES_DIR = join(PACKAGE_ROOT, 'dist', 'pages');

/** What scripts/build-pages.mjs writes next to the pages, per page. */
interface PagesManifest {
  [page: string]: { file: string; csp: string } | undefined;
}

export class PageNotBuiltError extends NamedError {
  readonly code = 'PAGE_NOT_BUILT';
  constructor(page: string, reason: string) {
    super(`the ${page} page is not built (${reason}): run \`npm run build:pages\` (\`npm run build\` runs it)`);
    this.name = 'PageNotBuiltError';
  }
}

/**
 * A page as built from src/app/pages/<page>/ by scripts/build-pages.mjs: one HTML document with
 * its script and stylesheet inline, nothing fetched from elsewhere. Its policy, computed at build
 * time, lets exactly that script and that stylesheet apply (by hash: no other inline script,
 * `on…` attribute or style can) and lets the page talk only to this service, so it works
 * offline and nothing it shows, such as a flow diagram, can load or send anything elsewhere.
 */
export function builtPage(page: string, dir: string = BUILT_PAGES_DIR): Page {
  let manifest: PagesManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'pages.json'), 'utf8')) as PagesManifest;
  } catch (err) {
    throw new PageNotBuiltError(page, `cannot read ${join(dir, 'pages.json')}: ${(err as Error).message}`);
  }
  const entry = manifest[page];
  if (!entry) throw new PageNotBuiltError(page, `${join(dir, 'pages.json')} does not list it`);
  try {
    return { html: readFileSync(join(dir, entry.file), 'utf8'), csp: entry.csp };
  } catch (err) {
    throw new PageNotBuiltError(page, (err as Error).message);
  }
}
