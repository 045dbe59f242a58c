import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A scratch directory for traces and reports written by a test. */
export function scratch(): { dir: string; file(name: string, lines: Array<object | string>): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-trace-'));
  return {
    dir,
    file(name, lines) {
      const path = join(dir, name);
      writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
