import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPaths, type ConfigPaths } from '../../src/core/configuration/configuration.js';

/** A private copy of the shipped flows, rules and customers that a test may break. */
export interface ConfigCopy {
  dir: string;
  paths: ConfigPaths;
  /** FLOWS_DIR, RULES_DIR and CUSTOMERS_FILE pointing at the copy, for a service under test. */
  env: Record<string, string>;
  /** Rewrites a JSON file of the copy (path relative to the copy, e.g. `flows/standard.json`). */
  edit(relPath: string, change: (doc: any) => void): void;
  write(relPath: string, text: string): void;
  remove(): void;
}

export function copyConfig(): ConfigCopy {
  const d = defaultPaths();
  const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-config-'));
  cpSync(d.flowsDir, join(dir, 'flows'), { recursive: true });
  cpSync(d.rulesDir, join(dir, 'rules'), { recursive: true });
  cpSync(d.customersFile, join(dir, 'customers.json'));
  const paths: ConfigPaths = { flowsDir: join(dir, 'flows'), rulesDir: join(dir, 'rules'), customersFile: join(dir, 'customers.json') };
  return {
    dir,
    paths,
    env: { FLOWS_DIR: paths.flowsDir, RULES_DIR: paths.rulesDir, CUSTOMERS_FILE: paths.customersFile },
    edit(relPath, change) {
      const file = join(dir, relPath);
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      change(doc);
      writeFileSync(file, JSON.stringify(doc, null, 2));
    },
    write(relPath, text) {
      writeFileSync(join(dir, relPath), text);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
