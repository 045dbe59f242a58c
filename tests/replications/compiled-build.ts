import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { distIsFresh } from '../helpers/fresh-dist.js';

/**
 * Worker threads and separate worker processes cannot load the TypeScript sources Vitest runs:
 * the specifications that need them use a build (dist/ when it is up to date with src/, else a
 * private build, removed after), as the parallel replay's do.
 */
export interface Build {
  cli: string;
  workerUrl: URL;
  remove(): void;
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20 }, (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }));
  });
}

export async function compiledBuild(): Promise<Build> {
  const worker = (dir: string) => pathToFileURL(join(dir, 'core', 'replications', 'replication-worker.js'));
  if (distIsFresh()) return { cli: join(PACKAGE_ROOT, 'bin', 'ivr-sim.js'), workerUrl: worker(join(PACKAGE_ROOT, 'dist')), remove() {} };
  const cache = join(PACKAGE_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'ivr-sim-build-'));
  const tsc = await run(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', dir]);
  if (!existsSync(join(dir, 'cli', 'main.js'))) throw new Error(`the build failed:\n${tsc.out}${tsc.err}`);
  const cli = join(dir, 'ivr-sim.mjs');
  writeFileSync(cli, `const { main } = await import('./cli/main.js');\nawait main(process.argv.slice(2));\n`);
  return { cli, workerUrl: worker(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}


/**
 * A copy of a build that calls itself another version: its own package.json (name ivr-sim,
 * version `version`) above a copy of the compiled code, the shipped data linked in. What a
 * machine with an older or newer ivr-sim installed runs.
 */
export function otherVersionBuild(build: Build, version: string): { cli: string; remove(): void } {
  const compiled = fileURLToPath(new URL('../../', build.workerUrl));
  const root = mkdtempSync(join(tmpdir(), 'ivr-sim-other-version-'));
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: pkg['name'], version, type: pkg['type'] }));
  for (const dir of ['node_modules', 'schemas', 'flows', 'rules', 'data']) symlinkSync(join(PACKAGE_ROOT, dir), join(root, dir));
  cpSync(compiled, join(root, 'dist'), { recursive: true });
  const cli = join(root, 'ivr-sim.mjs');
  writeFileSync(cli, `const { main } = await import('./dist/cli/main.js');\nawait main(process.argv.slice(2));\n`);
  return { cli, remove: () => rmSync(root, { recursive: true, force: true }) };
}
