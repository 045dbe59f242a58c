import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('README: repository layout', () => {
  it('lists every top-level folder of src/', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const table = readme.slice(readme.indexOf('## Repository layout'));
    const folders = readdirSync(new URL('src/', root), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `src/${e.name}/`);
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) expect(table, `README's layout table has no row for ${folder}`).toContain(`| \`${folder}\` |`);
  });
});
