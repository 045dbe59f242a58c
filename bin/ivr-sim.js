#!/usr/bin/env node
// Launcher: the compiled CLI lives in dist/ (`npm run build`; `npm ci` runs it for you).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('ivr-sim: the CLI is not built yet; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
const { main: run } = await import(main.href);
await run(process.argv.slice(2));
