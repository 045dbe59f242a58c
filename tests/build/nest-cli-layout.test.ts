import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/config/package-root.js';

const json = <T>(file: string): T => JSON.parse(readFileSync(join(PACKAGE_ROOT, file), 'utf8')) as T;

interface NestCli {
  sourceRoot: string;
  entryFile: string;
  compilerOptions: { builder: string; tsConfigPath: string; deleteOutDir: boolean };
}

describe('nest-cli.json describes the layout npm run build and npm start use', () => {
  const nest = json<NestCli>('nest-cli.json');
  const build = json<{ compilerOptions: { rootDir: string; outDir: string } }>(nest.compilerOptions.tsConfigPath);
  const pkg = json<{ scripts: Record<string, string> }>('package.json');

  it('compiles the sources of the build tsconfig with tsc', () => {
    expect(nest.compilerOptions.builder).toBe('tsc');
    expect(nest.compilerOptions.tsConfigPath).toBe('tsconfig.build.json');
    expect(pkg.scripts['build']).toBe(`tsc -p ${nest.compilerOptions.tsConfigPath}`);
    expect(build.compilerOptions.rootDir).toBe(nest.sourceRoot);
    expect(nest.compilerOptions.deleteOutDir).toBe(true);
  });

  it('starts the entry file npm start runs: the voice service', () => {
    expect(existsSync(join(PACKAGE_ROOT, nest.sourceRoot, `${nest.entryFile}.ts`))).toBe(true);
    expect(pkg.scripts['start']).toBe(`node ${build.compilerOptions.outDir}/${nest.entryFile}.js`);
  });
});
