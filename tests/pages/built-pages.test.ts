import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { builtPage, PageNotBuiltError } from '../../src/app/pages/html-page.js';
import { PACKAGE_ROOT } from '../../src/core/config/package-root.js';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('npm run build:pages', () => {
  const out = mkdtempSync(join(tmpdir(), 'ivr-sim-pages-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build-pages.mjs'), out], { stdio: 'pipe' });

  it('runs as part of npm run build, which npm ci runs (prepare)', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['prepare']).toBe('npm run build');
    expect(pkg.scripts['postbuild']).toBe('npm run build:pages');
    expect(pkg.scripts['typecheck']).toContain('tsc -p tsconfig.pages.json');
  });

  for (const name of ['agent', 'designer']) {
    it(`builds ${name} from src/app/pages/${name}/ into one document, with the shared shell and stylesheet, and its policy`, () => {
      const page = builtPage(name, out);
      expect(page.html).toMatch(/^<!doctype html>/);
      expect(page.html).toContain('<link rel="icon" href="data:,">');
      // The shared stylesheet (its header bar) and the page's own rules are both inlined.
      const style = /<style>([\s\S]*?)<\/style>/.exec(page.html)![1]!;
      expect(style).toContain('body>header{');
      expect(style).not.toContain('@import');
      expect(style).toContain(name === 'agent' ? '.card-head' : '#keypad');
      // The TypeScript is bundled: no module syntax, no types left for the browser to choke on.
      const script = /<script>([\s\S]*?)<\/script>/.exec(page.html)![1]!;
      expect(script).not.toMatch(/^\s*(import|export)\s/m);
      expect(script).toContain('dropAccessToken');
      expect(page.csp).toContain(`script-src ${sha256(script)};`);
      expect(page.csp).toContain(`style-src ${sha256(style)};`);
    });
  }

  it('refuses markup with inline code the policy would block, naming the file', () => {
    const sources = mkdtempSync(join(tmpdir(), 'ivr-sim-page-sources-'));
    try {
      cpSync(join(PACKAGE_ROOT, 'src', 'app', 'pages'), sources, { recursive: true });
      const index = join(sources, 'agent', 'index.html');
      writeFileSync(index, readFileSync(index, 'utf8').replace('<button type="submit" id="connect">', '<button type="submit" id="connect" onclick="connect()">'));
      let stderr = '';
      try {
        execFileSync(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'build-pages.mjs'), join(sources, 'out'), sources], { stdio: 'pipe' });
      } catch (err) {
        stderr = String((err as { stderr: Buffer }).stderr);
      }
      expect(stderr).toMatch(/build:pages failed: .*agent\/index\.html: has inline code or a resource link \(onclick=\): put scripts in main\.ts/);
    } finally {
      rmSync(sources, { recursive: true, force: true });
    }
  });

  it('a page that was not built stops the service with the command that builds it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ivr-sim-no-pages-'));
    try {
      expect(() => builtPage('agent', empty)).toThrow(PageNotBuiltError);
      expect(() => builtPage('agent', empty)).toThrow(/the agent page is not built \(cannot read .*pages\.json.*\): run `npm run build:pages`/);
      expect(() => builtPage('reports', out)).toThrow(/the reports page is not built \(.*pages\.json does not list it\)/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
