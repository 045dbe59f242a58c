import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One file of a batch: its new text, or null to delete it. */
export interface FileWrite {
  file: string;
  text: string | null;
}

/** A batch written to disk, with what each file held before, to put back. */
export interface WrittenBatch {
  /** Puts every file of the batch back as it was (recreating, rewriting or deleting it). */
  rollback(): void;
}

/** The file operations a batch uses (node:fs by default; a test passes one that fails on cue). */
export interface BatchFs {
  exists(file: string): boolean;
  read(file: string): string;
  write(file: string, text: string): void;
  rename(from: string, to: string): void;
  remove(file: string): void;
}

export const NODE_FS: BatchFs = {
  exists: existsSync,
  read: (f) => readFileSync(f, 'utf8'),
  write: (f, t) => writeFileSync(f, t),
  rename: renameSync,
  remove: (f) => rmSync(f, { force: true }),
};

let counter = 0;
/** A temporary file in the same directory (so a rename replaces the target in one step), named so no loader reads it. */
function tempFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${++counter}.tmp`);
}

function replace(fs: BatchFs, file: string, text: string): void {
  const tmp = tempFor(file);
  try {
    fs.write(tmp, text);
    fs.rename(tmp, file);
  } catch (err) {
    fs.remove(tmp);
    throw err;
  }
}

/**
 * Writes several files so that a reader sees each one either old or new, never half-written:
 * every new text goes to a temporary file next to its target first (a full disk or a missing
 * directory fails here, before any file changed), then each is renamed over its target. If a
 * rename fails, the files already replaced are put back before the error is thrown.
 */
export function writeFileBatch(writes: readonly FileWrite[], fs: BatchFs = NODE_FS): WrittenBatch {
  const before = writes.map((w) => ({ file: w.file, text: fs.exists(w.file) ? fs.read(w.file) : null }));
  const staged: Array<{ file: string; tmp: string | null }> = [];
  try {
    for (const w of writes) {
      if (w.text === null) {
        staged.push({ file: w.file, tmp: null });
        continue;
      }
      const tmp = tempFor(w.file);
      staged.push({ file: w.file, tmp });
      fs.write(tmp, w.text);
    }
  } catch (err) {
    for (const s of staged) if (s.tmp) fs.remove(s.tmp);
    throw err;
  }
  const done: number[] = [];
  const rollback = () => {
    for (const i of done.reverse()) {
      const b = before[i]!;
      if (b.text === null) fs.remove(b.file);
      else replace(fs, b.file, b.text);
    }
    done.length = 0;
  };
  try {
    staged.forEach((s, i) => {
      if (s.tmp) fs.rename(s.tmp, s.file);
      else fs.remove(s.file);
      done.push(i);
    });
  } catch (err) {
    for (const s of staged.slice(done.length)) if (s.tmp) fs.remove(s.tmp);
    rollback();
    throw err;
  }
  return { rollback };
}
