import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the configuration loader reads its files: the disk, or the texts of a loaded
 * configuration with some documents replaced (a draft in the flow editor). Loaders ask for
 * file texts and directory listings only through this, so a draft is checked by exactly the
 * code that loads the live files.
 */
export interface ConfigSource {
  /** The file's text; throws an error with a Node `code` (ENOENT…) when it cannot be read. */
  readText(file: string): string;
  /** Absolute paths of the `*.json` files directly in `dir`, sorted; none when it is no directory. */
  listJson(dir: string): string[];
}

export const DISK_SOURCE: ConfigSource = {
  readText: (file) => readFileSync(file, 'utf8'),
  listJson(dir) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f));
  },
};

/** Reads from the disk and keeps the text of every file read: the sources a configuration was built from. */
export class RecordingSource implements ConfigSource {
  readonly texts = new Map<string, string>();
  readonly listed = new Set<string>();
  readText(file: string): string {
    const text = DISK_SOURCE.readText(file);
    this.texts.set(file, text);
    return text;
  }
  listJson(dir: string): string[] {
    this.listed.add(dir);
    return DISK_SOURCE.listJson(dir);
  }
}

/**
 * File texts held in memory (a configuration's sources), with documents replaced, added or
 * removed on top (`null` removes). Directories are what the texts hold.
 */
export class OverlaySource implements ConfigSource {
  constructor(
    private readonly base: ReadonlyMap<string, string>,
    private readonly overlay: ReadonlyMap<string, string | null> = new Map(),
  ) {}

  readText(file: string): string {
    const text = this.overlay.has(file) ? this.overlay.get(file) : this.base.get(file);
    if (text === undefined || text === null) throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
    return text;
  }

  listJson(dir: string): string[] {
    const files = new Set([...this.base.keys()].filter((f) => dirname(f) === dir && f.endsWith('.json')));
    for (const [f, text] of this.overlay) {
      if (dirname(f) !== dir || !f.endsWith('.json')) continue;
      if (text === null) files.delete(f);
      else files.add(f);
    }
    return [...files].sort();
  }
}
