import { execFileSync } from 'node:child_process';

/**
 * The service serves the pages from dist/pages/, so every run first builds them from
 * src/app/pages/ (as `npm run build` does): specs always see the pages' current sources.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-pages.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
