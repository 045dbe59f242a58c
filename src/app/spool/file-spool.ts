import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NamedError } from '../../core/errors/named-error.js';

/** A value waiting in the spool, with its sequence number (increasing for the life of the spool). */
export interface Spooled<T> {
  seq: number;
  value: T;
}

/** What opening the spool found and repaired. */
export interface SpoolRecovery {
  /** Bytes of a last line a crash cut short while it was being appended (never acknowledged), removed. */
  tornBytes: number;
  /** Complete lines that could not be read, set aside in `<file>.rejected` (line numbers from 1). */
  unreadable: { line: number; text: string }[];
  /** Values still to apply. */
  pending: number;
}

export interface DrainResult {
  applied: number;
  remaining: number;
  /** Why the drain stopped before the end (the error `apply` threw); the value stays first in line. */
  stoppedBy?: unknown;
}

/** Another live process (or an unclosed spool in this one) holds the spool file. */
export class SpoolLockedError extends NamedError {
  readonly code = 'SPOOL_LOCKED';
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`${file}: in use by process ${pid} (${file}.lock); each running instance needs a spool file of its own (SPOOL_DIR, SPOOL_NAME). If no instance uses it, remove the lock file`);
    this.name = 'SpoolLockedError';
  }
}

/** The spool file could not be written: the value is not spooled. */
export class SpoolWriteError extends NamedError {
  readonly code = 'SPOOL_WRITE_FAILED';
  constructor(file: string, options: { cause: unknown }) {
    super(`${file}: cannot append to the spool: ${(options.cause as Error).message}`, options);
    this.name = 'SpoolWriteError';
  }
}

/** How many applied values a drain goes through before it records its progress. */
const COMMIT_EVERY = 100;

/** Spool files held open by this process (a second open of the same file is refused). */
const HELD = new Set<string>();

/**
 * A durable first-in first-out queue in one append-only file of JSON lines (`{"seq":n,"v":…}`).
 * `append` resolves once the line is on disk (fdatasync); `drain` applies the values in order and
 * records how far it got in `<file>.done` (written to a temporary file and renamed over it), so
 * after a crash a drain starts again after the last recorded value. Values applied after the last
 * record are applied again: `apply` must be idempotent. A line cut short by a crash during
 * `append` was never acknowledged and is dropped on open. Once everything is applied the file is
 * emptied. One process owns the file at a time (`<file>.lock` holds its pid).
 */
export class FileSpool<T> {
  private readonly pending: Spooled<T>[] = [];
  private nextSeq: number;
  private bytes: number;
  /** File operations one after the other: appends, commits and emptying never interleave. */
  private chain: Promise<unknown> = Promise.resolve();
  private draining: Promise<DrainResult> | null = null;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly fh: FileHandle,
    init: { pending: Spooled<T>[]; nextSeq: number; bytes: number },
    readonly recovery: SpoolRecovery,
  ) {
    this.pending.push(...init.pending);
    this.nextSeq = init.nextSeq;
    this.bytes = init.bytes;
  }

  static async open<T>(file: string): Promise<FileSpool<T>> {
    await mkdir(dirname(file), { recursive: true });
    lock(file);
    try {
      const done = await readCursor(`${file}.done`);
      let text = '';
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const end = text.lastIndexOf('\n') + 1;
      const tornBytes = Buffer.byteLength(text.slice(end));
      const pending: Spooled<T>[] = [];
      const unreadable: SpoolRecovery['unreadable'] = [];
      let maxSeq = done;
      let stale = false;
      text
        .slice(0, end)
        .split('\n')
        .slice(0, -1)
        .forEach((raw, i) => {
          const entry = parseLine(raw);
          if (!entry) {
            unreadable.push({ line: i + 1, text: raw });
            return;
          }
          maxSeq = Math.max(maxSeq, entry.seq);
          if (entry.seq <= done) stale = true;
          else pending.push({ seq: entry.seq, value: entry.v as T });
        });
      if (unreadable.length) await appendSynced(`${file}.rejected`, unreadable.map((u) => JSON.stringify({ file, line: u.line, text: u.text }) + '\n').join(''));
      // Rewrite without the torn tail, unreadable lines and values already applied.
      if (tornBytes > 0 || unreadable.length || stale) await replaceFile(file, pending.map(lineOf).join(''));
      const fh = await open(file, 'a');
      const bytes = (await fh.stat()).size;
      await syncDir(dirname(file));
      return new FileSpool<T>(file, fh, { pending, nextSeq: maxSeq + 1, bytes }, { tornBytes, unreadable, pending: pending.length });
    } catch (err) {
      unlock(file);
      throw err;
    }
  }

  /** Values not applied yet. */
  get size(): number {
    return this.pending.length;
  }

  /** The values not applied yet, oldest first (a copy). */
  peek(): Spooled<T>[] {
    return this.pending.map((e) => ({ ...e }));
  }

  /** Adds `value` at the end; resolves with its sequence number once it is on disk. */
  append(value: T): Promise<number> {
    return this.serially(async () => {
      if (this.closed) throw new SpoolWriteError(this.file, { cause: new Error('the spool is closed') });
      const entry = { seq: this.nextSeq, value };
      const line = lineOf(entry);
      try {
        await this.fh.write(line);
        await this.fh.datasync();
      } catch (err) {
        // Leave no half line behind for the next append to run into.
        await this.fh.truncate(this.bytes).catch(() => undefined);
        throw new SpoolWriteError(this.file, { cause: err });
      }
      this.bytes += Buffer.byteLength(line);
      this.nextSeq++;
      this.pending.push(entry);
      return entry.seq;
    });
  }

  /**
   * Applies the values in order, each once it is the oldest. Stops at the first value `apply`
   * throws for (it stays first in line). A drain already running is joined, not started twice.
   */
  drain(apply: (value: T, seq: number) => Promise<void>): Promise<DrainResult> {
    this.draining ??= this.run(apply).finally(() => (this.draining = null));
    return this.draining;
  }

  /** Keeps a value that can never be applied in `<file>.rejected`, with the reason, for an operator. */
  setAside(entry: Spooled<T>, reason: string): Promise<void> {
    return appendSynced(`${this.file}.rejected`, JSON.stringify({ file: this.file, seq: entry.seq, reason, value: entry.value }) + '\n');
  }

  /** Stops taking values and releases the file; a running drain finishes its current value first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.draining?.catch(() => undefined);
    await this.serially(() => this.fh.close());
    unlock(this.file);
  }

  private async run(apply: (value: T, seq: number) => Promise<void>): Promise<DrainResult> {
    let applied = 0;
    let sinceCommit = 0;
    let last: number | null = null;
    try {
      while (this.pending.length && !this.closed) {
        const entry = this.pending[0]!;
        try {
          await apply(entry.value, entry.seq);
        } catch (err) {
          return { applied, remaining: this.pending.length, stoppedBy: err };
        }
        this.pending.shift();
        applied++;
        last = entry.seq;
        if (++sinceCommit >= COMMIT_EVERY) {
          await this.commit(last);
          sinceCommit = 0;
        }
      }
      return { applied, remaining: this.pending.length };
    } finally {
      if (last !== null) await this.commit(last);
    }
  }

  /** Records that everything up to `seq` is applied; empties the file when nothing is left. */
  private commit(seq: number): Promise<void> {
    return this.serially(async () => {
      await replaceFile(`${this.file}.done`, `${seq}\n`);
      if (this.pending.length === 0 && !this.closed) {
        await this.fh.truncate(0);
        await this.fh.datasync();
        this.bytes = 0;
      }
    });
  }

  private serially<R>(op: () => Promise<R>): Promise<R> {
    const next = this.chain.then(op, op);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

function lineOf(entry: Spooled<unknown>): string {
  return JSON.stringify({ seq: entry.seq, v: entry.value }) + '\n';
}

function parseLine(raw: string): { seq: number; v: unknown } | null {
  try {
    const e = JSON.parse(raw) as { seq?: unknown; v?: unknown };
    if (typeof e !== 'object' || e === null || !Number.isSafeInteger(e.seq) || (e.seq as number) < 1 || !('v' in e)) return null;
    return { seq: e.seq as number, v: e.v };
  } catch {
    return null;
  }
}

async function appendSynced(path: string, text: string): Promise<void> {
  const fh = await open(path, 'a');
  try {
    await fh.appendFile(text);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

async function readCursor(path: string): Promise<number> {
  try {
    const n = Number((await readFile(path, 'utf8')).trim());
    // An unreadable cursor only means values are applied again, which `apply` tolerates.
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

/** Replaces `path` with `text` so that a crash leaves either the old or the new content. */
async function replaceFile(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/** Makes a created or renamed file's directory entry durable. */
async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function lock(file: string): void {
  const path = `${file}.lock`;
  if (HELD.has(file)) throw new SpoolLockedError(file, process.pid);
  try {
    const fd = openSync(path, 'wx');
    writeFileSync(fd, String(process.pid));
    closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const pid = Number(readFileSync(path, 'utf8').trim());
    // A lock left by a process that is gone (a crash) is taken over.
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) throw new SpoolLockedError(file, pid);
    writeFileSync(path, String(process.pid));
  }
  HELD.add(file);
}

function unlock(file: string): void {
  HELD.delete(file);
  try {
    if (Number(readFileSync(`${file}.lock`, 'utf8').trim()) === process.pid) unlinkSync(`${file}.lock`);
  } catch {
    // Nothing to release.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
