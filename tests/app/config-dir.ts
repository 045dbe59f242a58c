import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPaths } from '../../src/core/configuration/configuration.js';

/** A private copy of the shipped flows, rules and customers, for a service a test may reconfigure. */
export interface ConfigDir {
  dir: string;
  /** FLOWS_DIR, RULES_DIR and CUSTOMERS_FILE pointing at the copy. */
  env: Record<string, string>;
  /** Rewrites a JSON file of the copy (path relative to it, e.g. `flows/prompts.json`). */
  editJson(relPath: string, change: (doc: Record<string, any>) => void): void;
  write(relPath: string, text: string): void;
  remove(): void;
}

export function copyConfigDir(): ConfigDir {
  const d = defaultPaths();
  const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-live-'));
  cpSync(d.flowsDir, join(dir, 'flows'), { recursive: true });
  cpSync(d.rulesDir, join(dir, 'rules'), { recursive: true });
  cpSync(d.customersFile, join(dir, 'customers.json'));
  return {
    dir,
    env: { FLOWS_DIR: join(dir, 'flows'), RULES_DIR: join(dir, 'rules'), CUSTOMERS_FILE: join(dir, 'customers.json') },
    editJson(relPath, change) {
      const file = join(dir, relPath);
      const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
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
