import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/config/package-root.js';

/** The pages' own code (src/app/pages/<page>/) is bundled by esbuild into dist/pages/, not compiled by tsc (tsconfig.json excludes it). */
const PAGE_SOURCES = /^app[\\/]pages[\\/][^\\/]+[\\/]/;

/**
 * Whether dist/ holds a compiled file, no older than its source, for every TypeScript source
 * tsc compiles: then tests that need compiled code (worker threads, separate processes) use it
 * rather than a private build.
 */
export function distIsFresh(): boolean {
  const src = join(PACKAGE_ROOT, 'src');
  return readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !PAGE_SOURCES.test(f))
    .every((f) => {
      const built = join(PACKAGE_ROOT, 'dist', f.replace(/\.ts$/, '.js'));
      return existsSync(built) && statSync(built).mtimeMs >= statSync(join(src, f)).mtimeMs;
    });
}
