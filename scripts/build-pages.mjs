#!/usr/bin/env node
// Builds the browser pages (src/app/pages/<page>/) into dist/pages/: each page one self-contained
// HTML document with its script and stylesheet inlined (nothing is fetched from elsewhere), and
// dist/pages/pages.json with the Content-Security-Policy each is served with, which allows
// exactly that script and that stylesheet by their SHA-256 hashes. Run by `npm run build`.
//
//   node scripts/build-pages.mjs [outDir] [sourcesDir]     (default dist/pages, src/app/pages)
//
// esbuild bundles the TypeScript and only strips its types: `npm run typecheck` checks them
// (tsconfig.pages.json), against the same types the service's handlers are declared with.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = join(ROOT, 'src', 'app', 'pages');
/** Each page: its folder under src/app/pages/, which holds index.html, <page>.css and main.ts. */
export const PAGES = ['agent', 'designer'];

export class PageBuildError extends Error {
  constructor(file, message) {
    super(`${relative(ROOT, file)}: ${message}`);
    this.name = 'PageBuildError';
  }
}

/** `'sha256-…'` of inline text, as a CSP source. */
export function cspHash(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy a page is served with: its own script and stylesheet, and requests to this service only. */
export function pageCsp(script, style) {
  return [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The parts of a page's index.html: `<title>`, the `<header>` content next to the heading, and the rest of the body. */
function pageMarkup(file) {
  const text = readFileSync(file, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const title = /<title>([^<]+)<\/title>/.exec(text);
  if (!title) throw new PageBuildError(file, 'needs a <title>, which is also the heading of the page');
  const header = /<header>([\s\S]*?)<\/header>/.exec(text);
  const body = text.replace(title[0], '').replace(header?.[0] ?? '', '').trim();
  const markup = `${header?.[1] ?? ''}\n${body}`;
  // Inline code would not be covered by the policy's hashes: it belongs in main.ts and the stylesheet.
  const inline = /<script|<style|<link|\son[a-z]+\s*=|\sstyle\s*=|javascript:/i.exec(markup);
  if (inline) throw new PageBuildError(file, `has inline code or a resource link (${inline[0].trim()}): put scripts in main.ts and styles in the stylesheet`);
  return { title: title[1].trim(), header: header?.[1].replace(/^\n+|\s+$/g, '') ?? '', body };
}

async function bundle(entry, loader) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'iife',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    tsconfig: join(ROOT, 'tsconfig.pages.json'),
    ...(loader === 'css' ? { loader: { '.css': 'css' }, minify: true } : {}),
  });
  return out.outputFiles[0].text.trim();
}

function fill(template, slots) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in slots)) throw new Error(`the page shell has an unknown slot {{${name}}}`);
    return slots[name];
  });
}

/** One page as served: the HTML document and its policy. */
export async function buildPage(name, sources = SOURCES) {
  const dir = join(sources, name);
  const markup = pageMarkup(join(dir, 'index.html'));
  const script = await bundle(join(dir, 'main.ts'), 'ts');
  const style = await bundle(join(dir, `${name}.css`), 'css');
  if (/<\/script/i.test(script)) throw new PageBuildError(join(dir, 'main.ts'), 'the bundle contains "</script", which would end the inline script early');
  if (/<\/style/i.test(style)) throw new PageBuildError(join(dir, `${name}.css`), 'the stylesheet contains "</style", which would end the inline style early');
  const shell = readFileSync(join(sources, 'shared', 'shell.html'), 'utf8');
  const html = fill(shell, { title: markup.title, header: markup.header, body: markup.body, style, script });
  return { html, csp: pageCsp(script, style) };
}

/** Writes a file whole or not at all (a server reading it never sees half a page). */
function writeWhole(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export async function buildPages(outDir = join(ROOT, 'dist', 'pages'), sources = SOURCES) {
  mkdirSync(outDir, { recursive: true });
  const manifest = {};
  for (const name of PAGES) {
    const page = await buildPage(name, sources);
    writeWhole(join(outDir, `${name}.html`), page.html);
    manifest[name] = { file: `${name}.html`, csp: page.csp, bytes: Buffer.byteLength(page.html) };
  }
  writeWhole(join(outDir, 'pages.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (fileURLToPath(import.meta.url) === resolve(process.argv[1] ?? '')) {
  try {
    const outDir = process.argv[2] ? resolve(process.argv[2]) : undefined;
    const manifest = await buildPages(outDir, process.argv[3] ? resolve(process.argv[3]) : undefined);
    for (const [name, p] of Object.entries(manifest)) console.log(`pages: ${name} → ${relative(ROOT, join(outDir ?? join(ROOT, 'dist', 'pages'), p.file))} (${(p.bytes / 1024).toFixed(1)} KiB)`);
  } catch (err) {
    console.error(`build:pages failed: ${err.message}`);
    process.exitCode = 1;
  }
}
