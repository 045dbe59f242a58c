import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceCall } from '../../src/core/trace/trace-call.js';
import { TraceError } from '../../src/core/trace/trace-error.js';
import { readTrace, type TraceReaderOptions } from '../../src/core/trace/trace-reader.js';

const call = (id: string, at: number, extra: object = {}) => JSON.stringify({ callId: id, arrivalSec: at, talkSec: 120, ...extra });

async function readAll(text: string, opts: TraceReaderOptions = {}) {
  const reader = readTrace(Readable.from([text]), opts);
  const calls: TraceCall[] = [];
  for await (const c of reader) calls.push(c);
  return { calls, stats: reader.stats() };
}

async function refusal(text: string, opts: TraceReaderOptions = {}): Promise<TraceError> {
  const err = await readAll(text, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof TraceError) return err;
  throw new Error(`expected a TraceError, got ${String(err)}`);
}

describe('a trace with no calls is refused, not replayed as an empty report', () => {
  it('an empty file, or one of blank lines only, says it has no calls', async () => {
    for (const text of ['', '\n\n   \n']) {
      const err = await refusal(text);
      expect(err.code).toBe('TRACE_EMPTY');
      expect(err.exitCode).toBe(1);
      expect(err.message).toBe('trace trace has no calls: it is empty or holds only blank lines; nothing was run');
    }
    const csv = await refusal('callId,arrivalSec,talkSec\n', { format: 'csv' });
    expect(csv.code).toBe('TRACE_EMPTY');
  });

  it('a trace whose every line is skipped says so and lists the lines it skipped', async () => {
    const err = await refusal(['nope', call('b', 1, { talkSec: -1 }), ''].join('\n'), { onError: 'skip' });
    expect(err.code).toBe('TRACE_EMPTY');
    expect(err.issues).toEqual([
      { line: 1, field: '', message: expect.stringContaining('not valid JSON'), reason: 'syntax' },
      { line: 2, field: '/talkSec', message: 'must be >= 0 (got -1)', reason: 'schema' },
    ]);
    expect(err.message).toContain('trace trace has no calls: every line was skipped for errors');
    expect(err.message).toContain('trace:2 at /talkSec: must be >= 0 (got -1)');
  });

  it('also when the trace is read sorted', async () => {
    const err = await refusal(call('a', 1, { talkSec: 'x' }), { onError: 'skip', sort: true });
    expect(err).toMatchObject({ code: 'TRACE_EMPTY', issues: [{ line: 1, field: '/talkSec' }] });
  });
});

describe('skip mode says which lines it left out', () => {
  it('lists the first ten skipped lines, one entry per line, with its field and reason', async () => {
    const lines = [call('ok', 0)];
    for (let i = 1; i <= 14; i++) lines.push(i === 3 ? call('ok', i) : call(`bad${i}`, i, { talkSec: -1, wrapSec: -1 }));
    const { calls, stats } = await readAll(lines.join('\n'), { onError: 'skip' });
    expect(calls.map((c) => c.callId)).toEqual(['ok']);
    expect(stats.skipped).toBe(14);
    expect(stats.skippedLines).toHaveLength(10);
    expect(stats.skippedLines.map((s) => s.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(stats.skippedLines[0]).toEqual({ line: 2, field: '/talkSec', message: 'must be >= 0 (got -1)', reason: 'schema' });
    expect(stats.skippedLines[2]).toEqual({ line: 4, field: '/callId', message: 'callId "ok" is already used on line 1', reason: 'duplicateCallId' });
  });
});

describe('a CSV header', () => {
  it('without a required column gives one error naming the columns and the header, not one per row', async () => {
    const err = await refusal('callId,arrivalSec,caller\na,0,+8613800000001\nb,1,+8613800000002\nc,2,\n', { format: 'csv', onError: 'skip' });
    expect(err.code).toBe('TRACE_FORMAT');
    expect(err.issues).toEqual([
      {
        line: 1,
        field: '',
        message: 'the header has no talkSec column; every trace needs callId, talkSec and arrivalSec or arrivalTime (header: callId,arrivalSec,caller)',
        reason: 'syntax',
      },
    ]);
  });

  it('names every missing column at once', async () => {
    const err = await refusal('caller,keys\n+8613800000001,1\n', { format: 'csv' });
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.message).toMatch(/^the header has no callId, talkSec, arrivalSec or arrivalTime columns;/);
  });

  it('separated by semicolons or tabs is read with that delimiter', async () => {
    const rows = ['callId;arrivalSec;talkSec;keys', 'a;0;60;2,1', 'b;1.5;90;'];
    for (const [name, text] of [
      ['semicolons', rows.join('\n')],
      ['tabs', rows.map((r) => r.replace(/;/g, '\t')).join('\r\n')],
      ['semicolons after a byte-order mark and a blank line', `\ufeff\n${rows.join('\n')}`],
    ] as const) {
      const { calls } = await readAll(text, { format: 'csv' });
      expect(calls.map((c) => [c.callId, c.arrivalSec, c.talkSec, c.keys.map((k) => k.key).join('')]), name).toEqual([
        ['a', 0, 60, '21'],
        ['b', 1.5, 90, ''],
      ]);
    }
  });

  it('with commas keeps commas, even when a cell holds a semicolon', async () => {
    const { calls } = await readAll('callId,arrivalSec,talkSec,caller\n"a;1",0,60,\n', { format: 'csv' });
    expect(calls.map((c) => c.callId)).toEqual(['a;1']);
  });

  it('that no delimiter splits into trace fields is named column by column', async () => {
    const err = await refusal('callId|arrivalSec|talkSec\na|0|60\n', { format: 'csv' });
    expect(err.code).toBe('TRACE_FORMAT');
    expect(err.issues[0]!.message).toContain('column 1 "callId|arrivalSec|talkSec" is not a trace field');
  });
});

describe('messages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-input-errors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is "file not found", said once', async () => {
    const file = join(dir, 'nowhere.jsonl');
    const reader = readTrace(file);
    const err = await (async () => {
      for await (const _ of reader) continue;
    })().then(
      () => undefined,
      (e: unknown) => e as TraceError,
    );
    expect(err).toMatchObject({ code: 'TRACE_UNREADABLE', issues: [{ line: 0, message: 'file not found (ENOENT)' }] });
    expect(err!.message).toBe(`trace ${file}: file not found (ENOENT)`);
  });

  it('a JSON Lines syntax error gives the column, not a character position', async () => {
    const err = await refusal(`${call('a', 0)}\n{"callId": "b", "arrivalSec": 1,, "talkSec": 1}\n`);
    expect(err.issues).toEqual([{ line: 2, field: '', message: expect.stringMatching(/^not valid JSON at column 33: /), reason: 'syntax' }]);
    expect(err.issues[0]!.message).not.toMatch(/position/);
  });
});
