import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { draftSource, type ConfigSnapshot, type DraftChanges } from './draft.js';

/**
 * Writes a configuration (the snapshot, with the draft's changes when given) as a directory that
 * `ivr-sim compare --baseline/--candidate` reads: `flows/` (sub-flows included), `rules/`
 * (the contact policy included) and `customers.json`.
 */
export function writeConfigDirectory(snapshot: ConfigSnapshot, changes: DraftChanges, dir: string): void {
  const source = draftSource(snapshot, changes);
  const { flowsDir, rulesDir, customersFile } = snapshot.paths;
  const put = (target: string, text: string) => {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  const files = new Set([...snapshot.texts.keys(), ...[...changes.keys()].map((f) => f.file)]);
  for (const file of files) {
    let text: string;
    try {
      text = source.readText(file);
    } catch {
      continue; // deleted by the draft
    }
    if (file === customersFile) put(join(dir, 'customers.json'), text);
    else {
      for (const [base, name] of [[flowsDir, 'flows'], [rulesDir, 'rules']] as const) {
        const rel = relative(base, file);
        if (rel && !rel.startsWith('..') && !rel.startsWith('/')) put(join(dir, name, rel), text);
      }
    }
  }
  mkdirSync(join(dir, 'flows'), { recursive: true });
  mkdirSync(join(dir, 'rules'), { recursive: true });
}
