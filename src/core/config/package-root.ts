import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, where the shipped flows/, rules/, data/ and schemas/ live: the nearest
 * directory above this module whose package.json is ivr-sim's. Found by walking up rather than
 * by a fixed number of `..`, so sources (tests), dist/ and dist-bench/ all resolve it.
 */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ivr-sim') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the ivr-sim package root above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(resolve(dirname(fileURLToPath(import.meta.url))));

export function schemaFile(name: string): string {
  return join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`);
}
