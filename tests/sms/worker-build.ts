import { execFile } from 'node:child_process';
import { distIsFresh } from '../helpers/fresh-dist.js';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';

/** The SMS worker's entry point, built from the current sources. */
export interface WorkerBuild {
  /** `node <script>` runs `npm run worker`. */
  script: string;
  remove(): void;
}

/**
 * Vitest runs the TypeScript sources, and a process of its own cannot load those: dist/ when it
 * is up to date with src/, else a private build inside the package (so it finds node_modules),
 * removed by `remove`.
 */
export async function workerBuild(): Promise<WorkerBuild> {
  if (distIsFresh()) return { script: join(PACKAGE_ROOT, 'dist', 'worker', 'worker.js'), remove() {} };
  const parent = join(PACKAGE_ROOT, 'tmp');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'sms-worker-build-'));
  const out = await new Promise<string>((resolve) =>
    execFile(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', dir], { cwd: PACKAGE_ROOT }, (_e, o, e) => resolve(o + e)),
  );
  const script = join(dir, 'worker', 'worker.js');
  if (!existsSync(script)) throw new Error(`building the SMS worker failed:\n${out}`);
  return { script, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
