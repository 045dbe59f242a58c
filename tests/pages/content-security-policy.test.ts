import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type Harness } from '../app/harness.js';

/** The policy as directive → sources. */
function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const inline = (html: string, tag: 'script' | 'style') => [...html.matchAll(new RegExp(`<${tag}(\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))];

describe('the pages are served with a strict Content-Security-Policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startService('page-csp');
  });
  afterAll(() => h.close());

  for (const path of ['/agent', '/designer']) {
    describe(path, () => {
      let html: string;
      let policy: Map<string, string[]>;
      let raw: string;
      beforeAll(async () => {
        const res = await request(h.internal).get(path).expect(200);
        html = res.text;
        raw = res.headers['content-security-policy'] as string;
        policy = directives(raw ?? '');
      });

      it('allows nothing by default, nothing inline but its own script and stylesheet, and requests to this service only', () => {
        expect(raw).toBeTruthy();
        expect([...policy.keys()].sort()).toEqual(['base-uri', 'connect-src', 'default-src', 'form-action', 'frame-ancestors', 'img-src', 'script-src', 'style-src']);
        expect(policy.get('default-src')).toEqual(["'none'"]);
        expect(policy.get('connect-src')).toEqual(["'self'"]);
        expect(policy.get('img-src')).toEqual(["'self'", 'data:']);
        expect(policy.get('base-uri')).toEqual(["'none'"]);
        expect(policy.get('form-action')).toEqual(["'none'"]);
        expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
        expect(raw).not.toMatch(/unsafe-|\*|https?:|blob:|'strict-dynamic'/);
      });

      it('lets exactly the inline script and the inline stylesheet of the document apply, by their SHA-256', () => {
        const scripts = inline(html, 'script');
        const styles = inline(html, 'style');
        expect(scripts).toHaveLength(1);
        expect(styles).toHaveLength(1);
        expect(scripts[0]![1]).toBeUndefined(); // no src=, no attributes
        expect(policy.get('script-src')).toEqual([sha256(scripts[0]![2]!)]);
        expect(policy.get('style-src')).toEqual([sha256(styles[0]![2]!)]);
      });

      it('carries no code the policy would block: no style or on… attributes, no linked scripts or stylesheets', () => {
        const markup = html.replace(/<script>[\s\S]*?<\/script>/, '').replace(/<style>[\s\S]*?<\/style>/, '');
        expect(markup).not.toMatch(/\sstyle\s*=|\son[a-z]+\s*=|javascript:/i);
        expect(markup).not.toMatch(/<link(?![^>]*rel="icon"[^>]*href="data:,")/i);
      });
    });
  }
});
