import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One saved version of the editable files, as listed. */
export interface SavedVersion {
  id: string;
  /** ISO 8601. */
  savedAt: string;
  /** The configuration version the service served once it was saved. */
  configVersion: string;
  /** The files this save wrote (every file, for the state kept before the first save). */
  files: string[];
  message: string;
}

const META = 'version.json';
const ID = /^v(\d+)$/;

/**
 * Every version of the editable files the flow editor saved, each kept whole (all flows, the
 * prompts and the rule files, by repository-relative path) so that any of them can be restored:
 * `<dir>/v<n>/version.json` and `<dir>/v<n>/files/<path>`. A version is written to a temporary
 * directory and renamed into place, so a listed version is always complete.
 */
export class VersionHistory {
  constructor(private readonly dir: string) {}

  /** Newest first. */
  list(): SavedVersion[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => ID.test(name) && existsSync(join(this.dir, name, META)))
      .sort((a, b) => number(b) - number(a))
      .map((name) => JSON.parse(readFileSync(join(this.dir, name, META), 'utf8')) as SavedVersion);
  }

  /** The files of a version by path, or undefined when there is no such version. */
  files(id: string): Map<string, string> | undefined {
    if (!ID.test(id)) return undefined;
    const meta = join(this.dir, id, META);
    if (!existsSync(meta)) return undefined;
    const root = join(this.dir, id, 'files');
    const out = new Map<string, string>();
    for (const rel of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
      if (!rel.endsWith('.json')) continue;
      out.set(rel.split('\\').join('/'), readFileSync(join(root, rel), 'utf8'));
    }
    return out;
  }

  /** Keeps a version: every editable file's text (by path), and which of them this save wrote. */
  record(entry: { savedAt: string; configVersion: string; message: string; changed: readonly string[]; files: ReadonlyMap<string, string> }): SavedVersion {
    mkdirSync(this.dir, { recursive: true });
    const last = readdirSync(this.dir).filter((n) => ID.test(n)).map(number);
    const id = `v${Math.max(0, ...last) + 1}`;
    const version: SavedVersion = { id, savedAt: entry.savedAt, configVersion: entry.configVersion, files: [...entry.changed], message: entry.message };
    const tmp = join(this.dir, `.${id}.${process.pid}.tmp`);
    rmSync(tmp, { recursive: true, force: true });
    for (const [path, text] of entry.files) {
      const file = join(tmp, 'files', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    writeFileSync(join(tmp, META), JSON.stringify(version, null, 2) + '\n');
    renameSync(tmp, join(this.dir, id));
    return version;
  }
}

function number(id: string): number {
  return Number(ID.exec(id)![1]);
}
