import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileSpool, SpoolLockedError } from '../../src/app/spool/file-spool.js';

type Note = { n: number };

describe('the file spool: a durable queue for what Redis could not take', () => {
  let dir: string;
  let file: string;
  const opened: FileSpool<unknown>[] = [];
  const openSpool = async <T = Note>(): Promise<FileSpool<T>> => {
    const s = await FileSpool.open<T>(file);
    opened.push(s as FileSpool<unknown>);
    return s;
  };
  const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { seq: number; v: Note });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ivr-sim-spool-'));
    file = join(dir, 'instance.jsonl');
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('applies values in the order they were appended, including those appended while it drains', async () => {
    const spool = await openSpool();
    for (const n of [1, 2, 3]) await spool.append({ n });
    const seen: number[] = [];
    const result = await spool.drain(async (v) => {
      seen.push(v.n);
      if (v.n === 1) await spool.append({ n: 4 });
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result).toEqual({ applied: 4, remaining: 0 });
    expect(spool.size).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('acknowledges an append only after the line is synced to disk, and a new process reads it back', async () => {
    const spool = await openSpool();
    const probe = await open(join(dir, 'probe'), 'w');
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { datasync(): Promise<void> }, 'datasync');
    await probe.close();
    let syncedWhenWritten = false;
    sync.mockImplementation(async function (this: unknown) {
      syncedWhenWritten = readFileSync(file, 'utf8').includes('"n":7');
    });
    const seq = await spool.append({ n: 7 });
    expect(sync).toHaveBeenCalledTimes(1);
    expect(syncedWhenWritten).toBe(true);
    vi.restoreAllMocks();
    await spool.close();
    const again = await openSpool();
    expect(again.peek()).toEqual([{ seq, value: { n: 7 } }]);
  });

  it('drops a last line cut short by a crash mid-append, keeps the complete ones, and appends cleanly after it', async () => {
    const torn = '{"seq":3,"v":{"n"';
    writeFileSync(file, '{"seq":1,"v":{"n":1}}\n{"seq":2,"v":{"n":2}}\n' + torn);
    const spool = await openSpool();
    expect(spool.recovery).toEqual({ tornBytes: torn.length, unreadable: [], pending: 2 });
    expect(await spool.append({ n: 3 })).toBe(3);
    await spool.close();
    expect(lines()).toEqual([
      { seq: 1, v: { n: 1 } },
      { seq: 2, v: { n: 2 } },
      { seq: 3, v: { n: 3 } },
    ]);
    const seen: number[] = [];
    await (await openSpool()).drain(async (v) => void seen.push(v.n));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('sets an unreadable line aside with its line number instead of losing the values around it', async () => {
    writeFileSync(file, '{"seq":1,"v":{"n":1}}\nnot json\n{"seq":3,"v":{"n":3}}\n');
    const spool = await openSpool();
    expect(spool.recovery.unreadable).toEqual([{ line: 2, text: 'not json' }]);
    expect(spool.peek().map((e) => e.value.n)).toEqual([1, 3]);
    expect(JSON.parse(readFileSync(`${file}.rejected`, 'utf8'))).toEqual({ file, line: 2, text: 'not json' });
    expect(lines().map((l) => l.seq)).toEqual([1, 3]);
  });

  it('keeps a value that can never be applied aside, with the reason, for an operator', async () => {
    const spool = await openSpool();
    await spool.append({ n: 1 });
    await spool.drain(async (v, seq) => spool.setAside({ seq, value: v }, 'no such call'));
    expect(JSON.parse(readFileSync(`${file}.rejected`, 'utf8'))).toEqual({ file, seq: 1, reason: 'no such call', value: { n: 1 } });
    expect(spool.size).toBe(0);
  });

  it('stops at a value that cannot be applied yet, keeps it first in line, and resumes there after a restart', async () => {
    const spool = await openSpool();
    for (const n of [1, 2, 3]) await spool.append({ n });
    const seen: number[] = [];
    const down = new Error('redis unreachable');
    const result = await spool.drain(async (v) => {
      if (v.n === 2) throw down;
      seen.push(v.n);
    });
    expect(result).toEqual({ applied: 1, remaining: 2, stoppedBy: down });
    await spool.close();

    const restarted = await openSpool();
    expect(restarted.peek().map((e) => e.value.n)).toEqual([2, 3]);
    await restarted.drain(async (v) => void seen.push(v.n));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('never applies a value twice once its drain recorded it, even if the file was not emptied before a crash', async () => {
    const spool = await openSpool();
    for (const n of [1, 2]) await spool.append({ n });
    const before = readFileSync(file, 'utf8');
    const seen: number[] = [];
    await spool.drain(async (v) => void seen.push(v.n));
    await spool.close();
    // The crash: the progress record was written, the emptied file was not.
    writeFileSync(file, before);
    const restarted = await openSpool();
    expect(restarted.size).toBe(0);
    await restarted.drain(async (v) => void seen.push(v.n));
    await restarted.append({ n: 3 });
    await restarted.drain(async (v) => void seen.push(v.n));
    expect(seen).toEqual([1, 2, 3]);
    expect(restarted.peek()).toEqual([]);
  });

  it('runs one drain at a time: a second call joins the running one', async () => {
    const spool = await openSpool();
    for (const n of [1, 2, 3]) await spool.append({ n });
    const seen: number[] = [];
    const apply = async (v: Note) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(v.n);
    };
    const [a, b] = await Promise.all([spool.drain(apply), spool.drain(apply)]);
    expect(seen).toEqual([1, 2, 3]);
    expect(a).toBe(b);
  });

  it('belongs to one process at a time; a lock left by a process that is gone is taken over', async () => {
    const spool = await openSpool();
    await expect(FileSpool.open(file)).rejects.toBeInstanceOf(SpoolLockedError);
    await spool.close();
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${file}.lock`, String(gone));
    const taken = await openSpool();
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    await taken.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('keeps sequence numbers increasing across an emptied file and a restart', async () => {
    const spool = await openSpool();
    await spool.append({ n: 1 });
    await spool.drain(async () => undefined);
    await spool.close();
    appendFileSync(file, '');
    const restarted = await openSpool();
    expect(await restarted.append({ n: 2 })).toBe(2);
  });
});
