import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/config/package-root.js';
import { ajvConstructions, importSpecifiers, layerOf, layeringViolations } from './import-layers.js';

function sources(): Map<string, string> {
  const src = join(PACKAGE_ROOT, 'src');
  const files = new Map<string, string>();
  for (const f of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
    if (f.endsWith('.ts') && !f.endsWith('.d.ts')) files.set(f.split('\\').join('/'), readFileSync(join(src, f), 'utf8'));
  }
  return files;
}

describe('the layers of src/', () => {
  it('core imports only core; infra imports no shell; no shell (app, cli, worker) imports another', () => {
    const files = sources();
    expect(files.size).toBeGreaterThan(100);
    expect(layeringViolations(files)).toEqual([]);
  });

  it('one Ajv validates every document format, in core/config', () => {
    expect(ajvConstructions(sources())).toEqual(['src/core/config/schema-validator.ts']);
  });

  it('every layer is present where the layout says', () => {
    const layers = new Set([...sources().keys()].map(layerOf));
    expect([...layers].sort((a, b) => String(a).localeCompare(String(b)))).toEqual(['app', 'cli', 'core', 'infra', 'worker']);
  });
});

describe('the process entry points', () => {
  const json = <T>(file: string): T => JSON.parse(readFileSync(join(PACKAGE_ROOT, file), 'utf8')) as T;

  it('npm run worker runs the SMS worker shell, src/worker/worker.ts, as built', () => {
    const outDir = json<{ compilerOptions: { outDir: string } }>('tsconfig.build.json').compilerOptions.outDir;
    expect(json<{ scripts: Record<string, string> }>('package.json').scripts['worker']).toBe(`node ${outDir}/worker/worker.js`);
    expect(existsSync(join(PACKAGE_ROOT, 'src', 'worker', 'worker.ts'))).toBe(true);
  });
});

describe('the layering check', () => {
  const check = (files: Record<string, string>) => layeringViolations(new Map(Object.entries(files)));

  it('names the file and the import when the core reaches up or out', () => {
    expect(
      check({
        'core/sms/a.ts': "import { RedisContactLedger } from '../../infra/sms/redis-contact-ledger.js';\nimport type { Redis } from 'ioredis';\nimport { x } from './b.js';",
        'core/sms/b.ts': "export { Injectable } from '@nestjs/common';\nconst m = await import('../../app/tokens.js');",
      }),
    ).toEqual([
      "src/core/sms/a.ts imports '../../infra/sms/redis-contact-ledger.js': the core imports nothing above it (this is infra)",
      "src/core/sms/a.ts imports 'ioredis': the core imports no framework or outside-world client (ioredis)",
      "src/core/sms/b.ts imports '@nestjs/common': the core imports no framework or outside-world client (@nestjs/common)",
      "src/core/sms/b.ts imports '../../app/tokens.js': the core imports nothing above it (this is app)",
    ]);
  });

  it('refuses a shell importing another shell, and infra importing a shell', () => {
    expect(
      check({
        'worker/worker.ts': "import {\n  createLogger,\n} from '../app/logging/logger.js';",
        'cli/commands/sms-stats.ts': "import { x } from '../../worker/sms-worker-env.js';\nimport { y } from '../../infra/sms/sms-queue.js';",
        'infra/redis/redis-client.ts': "import { redactUrl } from '../../app/config/app-env.js';",
        'main.ts': "import { z } from './cli/main.js';",
      }),
    ).toEqual([
      "src/worker/worker.ts imports '../app/logging/logger.js': a shell imports no other shell (worker → app); share it from src/infra or src/core",
      "src/cli/commands/sms-stats.ts imports '../../worker/sms-worker-env.js': a shell imports no other shell (cli → worker); share it from src/infra or src/core",
      "src/infra/redis/redis-client.ts imports '../../app/config/app-env.js': the adapters in src/infra import no shell (this is app)",
      "src/main.ts imports './cli/main.js': a shell imports no other shell (app → cli); share it from src/infra or src/core",
    ]);
  });

  it('lets every layer import downwards, and packages outside the core', () => {
    expect(
      check({
        'app/sms/sms.module.ts': "import { Module } from '@nestjs/common';\nimport { RedisSmsStats } from '../../infra/sms/redis-sms-stats.js';\nimport { SmsDispatcher } from '../../core/sms/sms-dispatcher.js';",
        'infra/sms/sms-queue.ts': "import type { Queue } from 'bullmq';\nimport type { SmsJob } from '../../core/sms/sms-job.js';",
        'core/flows/a.ts': "import { setup } from 'xstate';\n// import { Redis } from 'ioredis';\n/* import x from '../../app/x.js'; */",
      }),
    ).toEqual([]);
  });

  it('keeps core/config at the bottom of the core: it loads no flows, rules or customers', () => {
    expect(
      check({
        'core/config/configuration.ts': "import { loadFlows } from '../flows/flow-loader.js';\nimport { pointer } from './config-error.js';",
        'core/configuration/configuration.ts': "import { loadFlows } from '../flows/flow-loader.js';\nimport { pointer } from '../config/config-error.js';",
      }),
    ).toEqual([
      "src/core/config/configuration.ts imports '../flows/flow-loader.js': core/config is the bottom layer (reading, locating and validating a document; the issue shape) and imports only core/config",
    ]);
  });

  it('keeps core/errors below core/config: core/config may extend NamedError, core/errors imports nothing', () => {
    expect(
      check({
        'core/config/config-error.ts': "import { NamedError } from '../errors/named-error.js';",
        'core/errors/named-error.ts': "import { formatIssue } from '../config/config-error.js';",
      }),
    ).toEqual(["src/core/errors/named-error.ts imports '../config/config-error.js': core/errors (the NamedError base) is below every other layer and imports nothing from src/"]);
  });

  it('finds every file that builds an Ajv of its own', () => {
    expect(
      ajvConstructions(
        new Map([
          ['core/config/schema-validator.ts', 'const ajv = new Ajv2020({ allErrors: true });'],
          ['core/staffing/staffing-file.ts', 'compiled = new Ajv2020({ strict: true }).compile(schema);'],
          ['core/trace/trace-line.ts', "import { schemaErrors } from '../config/schema-validator.js';"],
        ]),
      ),
    ).toEqual(['src/core/config/schema-validator.ts', 'src/core/staffing/staffing-file.ts']);
  });

  it('places a file outside every layer as a violation of its own', () => {
    expect(check({ 'sms/worker.ts': '' })).toEqual(['src/sms/worker.ts is in no layer: put it under src/core, src/infra, src/app, src/cli or src/worker']);
  });

  it('reads multi-line, type-only, side-effect and dynamic imports and re-exports', () => {
    expect(importSpecifiers("import {\n  a,\n  type B,\n} from './a.js';\nimport type { C } from 'c';\nimport './d.js';\nexport * from './e.js';\nconst f = await import('./f.js');")).toEqual([
      './a.js',
      'c',
      './e.js',
      './d.js',
      './f.js',
    ]);
  });
});
