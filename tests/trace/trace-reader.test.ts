import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { TraceCall } from '../../src/core/trace/trace-call.js';
import { TraceError } from '../../src/core/trace/trace-error.js';
import { readTrace, traceFormatOf, type TraceReaderOptions } from '../../src/core/trace/trace-reader.js';

const jsonl = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

async function readAll(text: string, opts: TraceReaderOptions = {}) {
  const reader = readTrace(Readable.from([text]), opts);
  const calls: TraceCall[] = [];
  for await (const c of reader) calls.push(c);
  return { calls, stats: reader.stats() };
}

async function failure(text: string, opts: TraceReaderOptions = {}): Promise<TraceError> {
  try {
    await readAll(text, opts);
  } catch (err) {
    if (err instanceof TraceError) return err;
    throw err;
  }
  throw new Error('expected the trace to be refused');
}

const call = (id: string, at: number, extra: object = {}) => ({ callId: id, arrivalSec: at, talkSec: 120, ...extra });

describe('reading a JSON Lines trace', () => {
  it('yields one call per line, in order, with keys parsed from the shorthand or the list', async () => {
    const { calls } = await readAll(
      jsonl(
        call('a', 0, { caller: '+8613800000001', keys: '2@3.1,1' }),
        call('b', 1.5, { keys: [{ key: '0', afterSec: 1 }, { key: '9' }], patienceSec: 60, wrapSec: 15, language: 'en-US' }),
        call('c', 1.5, { hangupInIvrSec: 4 }),
      ),
    );
    expect(calls).toEqual([
      { line: 1, callId: 'a', arrivalSec: 0, caller: '+8613800000001', keys: [{ key: '2', afterSec: 3.1 }, { key: '1' }], talkSec: 120 },
      { line: 2, callId: 'b', arrivalSec: 1.5, keys: [{ key: '0', afterSec: 1 }, { key: '9' }], talkSec: 120, patienceSec: 60, wrapSec: 15, language: 'en-US' },
      { line: 3, callId: 'c', arrivalSec: 1.5, keys: [], talkSec: 120, hangupInIvrSec: 4 },
    ]);
  });

  it('passes an inline profile, an ACD-level queue line and what was observed live through', async () => {
    const profile = { phone: '+8613700000001', vipLevel: 'gold' };
    const observed = { outcome: 'handoff', queue: 'vip', waitSec: 12, note: 'anything else is kept' };
    const { calls } = await readAll(jsonl(call('p', 0, { profile, observed }), call('q', 2, { queue: 'general', priority: 40 })));
    expect(calls[0]).toMatchObject({ profile, observed });
    expect(calls[1]).toMatchObject({ queue: 'general', priority: 40, keys: [] });
  });

  it('turns arrivalTime into seconds after the first call, and says where the day the trace starts', async () => {
    const { calls, stats } = await readAll(
      jsonl(
        { callId: 'a', arrivalTime: '2025-03-03T09:00:00.500+08:00', talkSec: 1 },
        { callId: 'b', arrivalTime: '2025-03-03T09:00:02+08:00', talkSec: 1 },
        { callId: 'c', arrivalTime: '2025-03-03T01:01:00.500Z', talkSec: 1 },
      ),
    );
    expect(calls.map((c) => c.arrivalSec)).toEqual([0, 1.5, 60]);
    expect(stats.origin).toEqual({ arrivalTime: '2025-03-03T09:00:00.500+08:00', secOfDay: 9 * 3600 + 0.5 });
  });

  it('skips blank lines and counts them, and none of them is a call', async () => {
    const { calls, stats } = await readAll(`\n${JSON.stringify(call('a', 0))}\n   \n\r\n${JSON.stringify(call('b', 1))}\n\n`);
    expect(calls.map((c) => [c.callId, c.line])).toEqual([['a', 2], ['b', 5]]);
    expect(stats).toMatchObject({ read: 2, calls: 2, blank: 4, skipped: 0 });
  });

  it('reads Windows line endings, a byte-order mark and a last line without a line break', async () => {
    const { calls } = await readAll(`\ufeff${JSON.stringify(call('a', 0))}\r\n${JSON.stringify(call('b', 1))}`);
    expect(calls.map((c) => c.callId)).toEqual(['a', 'b']);
  });

  it('reads the same lines however the source cuts them into chunks (mid-line, between \\r and \\n, chunks without a line break)', async () => {
    const text =
      `\ufeff${JSON.stringify(call('a', 0, { queue: 'general', patienceSec: 12.5 }))}\r\n\r\n` +
      `${JSON.stringify(call('b', 1, { keys: '1,2' }))}\n   \n{"callId":"c", "arrivalSec":2,"talkSec":3}\r\nnope\n` +
      `${JSON.stringify(call('d', 3.25, { caller: '+8613800000001' }))}\r\n${JSON.stringify(call('e', 4))}`;
    const whole = await readAll(text, { onError: 'skip' });
    expect(whole.calls.map((c) => c.callId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(whole.stats).toMatchObject({ read: 6, calls: 5, skipped: 1, blank: 2 });
    for (const size of [1, 2, 3, 7, 16, 41, 64, 100]) {
      const pieces = text.match(new RegExp(`[^]{1,${size}}`, 'g'))!;
      const reader = readTrace(Readable.from(pieces), { onError: 'skip' });
      const calls: TraceCall[] = [];
      for await (const c of reader) calls.push(c);
      expect(calls, `chunks of ${size}`).toEqual(whole.calls);
      expect(reader.stats(), `chunks of ${size}`).toEqual(whole.stats);
    }
  });
});

describe('reading a CSV trace', () => {
  const header = 'callId,arrivalTime,caller,profile,keys,talkSec,patienceSec,queue,observed';

  it('uses the same column names, shorthand keys, and JSON text for profile and observed', async () => {
    const text = [
      header,
      'a,2025-03-03T10:00:00+08:00,+8613800000001,,"2@3.1,1",300,90,,',
      'b,2025-03-03T10:00:04.250+08:00,,"{""phone"":""+8613700000002"",""vipLevel"":""silver""}",0,200,,,"{""outcome"":""handoff""}"',
      'c,2025-03-03T10:00:05+08:00,,,,180,,general,',
    ].join('\n');
    const { calls } = await readAll(text, { format: 'csv' });
    expect(calls).toEqual([
      { line: 2, callId: 'a', arrivalSec: 0, caller: '+8613800000001', keys: [{ key: '2', afterSec: 3.1 }, { key: '1' }], talkSec: 300, patienceSec: 90 },
      { line: 3, callId: 'b', arrivalSec: 4.25, profile: { phone: '+8613700000002', vipLevel: 'silver' }, keys: [{ key: '0' }], talkSec: 200, observed: { outcome: 'handoff' } },
      { line: 4, callId: 'c', arrivalSec: 5, keys: [], talkSec: 180, queue: 'general' },
    ]);
  });

  it('counts empty lines and rows of empty cells as blank, and numbers a quoted multi-line row by its first line', async () => {
    const text = [
      'callId,arrivalSec,talkSec,profile',
      '',
      'a,0,60,',
      ',,,',
      'b,1,60,"{""phone"":',
      '""+8613700000001""}"',
      'c,2,60,',
      '',
    ].join('\n');
    const { calls, stats } = await readAll(text, { format: 'csv' });
    expect(calls.map((c) => [c.callId, c.line])).toEqual([['a', 3], ['b', 5], ['c', 7]]);
    expect(stats).toMatchObject({ read: 3, calls: 3, blank: 2 });
  });

  it('names the row and the cell: a row with too few cells, a cell that is not JSON, a number that is not one', async () => {
    const text = ['callId,arrivalSec,talkSec,profile', 'a,0,60', 'b,1,sixty,{phone}', 'c,2,60,'].join('\n');
    const { calls, stats } = await readAll(text, { format: 'csv', onError: 'skip' });
    expect(calls.map((c) => c.callId)).toEqual(['c']);
    expect(stats.errors).toEqual([
      { line: 2, field: '', message: 'has 3 cells; the header has 4 columns (quote cells that contain commas)', reason: 'syntax' },
      { line: 3, field: '/profile', message: expect.stringMatching(/^the cell must hold a JSON object/), reason: 'syntax' },
      { line: 3, field: '/talkSec', message: 'must be a number (got "sixty")', reason: 'schema' },
    ]);
    expect(stats.skippedByReason.syntax).toBe(2);
  });

  it('refuses a header with a column that is not a trace field, whatever the error policy', async () => {
    const err = await failure('callId,arrivalSec,talkSec,duration\na,0,1,2\n', { format: 'csv', onError: 'skip' });
    expect(err.code).toBe('TRACE_FORMAT');
    expect(err.issues).toEqual([{ line: 1, field: '/duration', message: expect.stringContaining('column 4 "duration" is not a trace field'), reason: 'syntax' }]);
  });
});

describe('errors name the line, the field and what was expected', () => {
  const cases: [string, unknown, string, string, string][] = [
    ['not JSON', '{"callId": "x",', '', 'not valid JSON', 'syntax'],
    ['no talkSec', { callId: 'x', arrivalSec: 5 }, '/talkSec', 'is required', 'schema'],
    ['no arrival', { callId: 'x', talkSec: 5 }, '/arrivalSec', 'is required: give arrivalSec', 'schema'],
    ['both arrivals', { ...call('x', 5), arrivalTime: '2025-03-03T09:00:00Z' }, '/arrivalTime', 'either arrivalSec or arrivalTime, not both', 'schema'],
    ['negative time', call('x', 5, { talkSec: -3 }), '/talkSec', 'must be >= 0 (got -3)', 'schema'],
    ['a number as text', call('x', 5, { patienceSec: '30' }), '/patienceSec', 'must be a number (got "30")', 'schema'],
    ['unknown field', call('x', 5, { duration: 3 }), '/duration', 'is not a known field', 'schema'],
    ['bad shorthand', call('x', 5, { keys: '2,x' }), '/keys', 'key 2 "x": expected a DTMF key', 'schema'],
    ['bad press', call('x', 5, { keys: [{ key: '1' }, { key: '1', afterSec: -1 }] }), '/keys/1/afterSec', 'must be >= 0', 'schema'],
    ['keys of the wrong type', call('x', 5, { keys: 21 }), '/keys', 'must be a list of presses', 'schema'],
    ['bad date', { callId: 'x', arrivalTime: '03/03/2025 09:00', talkSec: 1 }, '/arrivalTime', 'ISO-8601 date-time with a UTC offset', 'schema'],
    ['bad language', call('x', 5, { language: 'fr-FR' }), '/language', 'must be one of "zh-CN", "en-US"', 'schema'],
    ['profile without phone', call('x', 5, { profile: { vipLevel: 'gold' } }), '/profile/phone', 'is required', 'schema'],
    ['queue line with keys', call('x', 5, { queue: 'general', keys: '1' }), '/keys', 'bypasses the IVR: remove keys', 'schema'],
    ['priority without queue', call('x', 5, { priority: 50 }), '/priority', 'applies only to ACD-level records', 'schema'],
    ['not an object', '[1, 2]', '', 'must be an object', 'schema'],
  ];

  it.each(cases)('%s', async (_name, bad, field, message, reason) => {
    const err = await failure(jsonl(call('ok', 0), bad));
    expect(err.code).toBe('TRACE_INVALID');
    expect(err.issues).toContainEqual({ line: 2, field, message: expect.stringContaining(message), reason });
    expect(err.message).toContain(`trace:2`);
  });

  it('a repeated callId points at its first use', async () => {
    const err = await failure(jsonl(call('a', 0), call('b', 1), call('a', 2)));
    expect(err.issues).toEqual([{ line: 3, field: '/callId', message: 'callId "a" is already used on line 1', reason: 'duplicateCallId' }]);
  });

  it('a call arriving before the line above is out of order', async () => {
    const err = await failure(jsonl(call('a', 0), call('b', 10), call('c', 5)));
    expect(err.issues).toEqual([
      { line: 3, field: '/arrivalSec', message: expect.stringContaining('arrives at 5 s, before the call on line 2 (10 s)'), reason: 'outOfOrder' },
    ]);
  });

  it('a file keeps to one arrival style', async () => {
    const err = await failure(jsonl(call('a', 0), { callId: 'b', arrivalTime: '2025-03-03T09:00:00Z', talkSec: 1 }));
    expect(err.issues).toEqual([{ line: 2, field: '/arrivalTime', message: 'this trace gives arrivalSec (from line 1); use one style in a file', reason: 'arrivalStyle' }]);
  });

  it('an ACD-level line must name a queue of the staffing file, when the queues are known', async () => {
    const text = jsonl(call('a', 0, { queue: 'general' }), call('b', 1, { queue: 'billing' }));
    const err = await failure(text, { queues: new Set(['general', 'vip']) });
    expect(err.issues).toEqual([{ line: 2, field: '/queue', message: 'queue "billing" is not in the staffing file; queues: general, vip', reason: 'unknownQueue' }]);
    await expect(readAll(text)).resolves.toMatchObject({ stats: { calls: 2 } });
  });
});

describe('error policy', () => {
  it('fail: yields the calls before the first bad line, nothing after it, then throws every error found', async () => {
    const reader = readTrace(Readable.from([jsonl(call('a', 0), call('b', 1, { talkSec: -1 }), call('c', 2), call('d', 3, { keys: 'x' }))]));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const c of reader) seen.push(c.callId);
      })(),
    ).rejects.toMatchObject({ name: 'TraceError', code: 'TRACE_INVALID', truncated: false, issues: [{ line: 2 }, { line: 4 }] });
    expect(seen).toEqual(['a']);
  });

  it('fail: stops reading after ten errors', async () => {
    const lines = [call('ok', 0), ...Array.from({ length: 30 }, (_, i) => call(`bad${i}`, i + 1, { talkSec: -1 }))];
    const err = await failure(jsonl(...lines));
    expect(err.issues).toHaveLength(10);
    expect(err.truncated).toBe(true);
    expect(err.issues.at(-1)!.line).toBe(11);
    expect(err.message).toMatch(/^trace trace: stopped after 10 errors/);
  });

  it('skip: leaves bad lines out, counts them by reason, and accounts for every line', async () => {
    const text = jsonl(
      call('a', 0),
      'nope',
      call('b', 1, { talkSec: -1 }),
      call('a', 2),
      call('c', 3),
      call('d', 2.5),
      call('e', 4, { queue: 'billing' }),
      { callId: 'f', arrivalTime: '2025-03-03T09:00:00Z', talkSec: 1 },
      '',
      call('g', 5),
      call('h', 6, { retryOf: 'zz' }),
    );
    const { calls, stats } = await readAll(text, { onError: 'skip', queues: new Set(['general']) });
    expect(calls.map((c) => c.callId)).toEqual(['a', 'c', 'g']);
    expect(stats.skippedByReason).toEqual({ syntax: 1, schema: 1, arrivalStyle: 1, duplicateCallId: 1, outOfOrder: 1, unknownQueue: 1, retryOf: 1 });
    expect(stats).toMatchObject({ read: 10, calls: 3, skipped: 7, blank: 1 });
    expect(stats.read).toBe(stats.calls + stats.skipped);
    expect(stats.errors.map((e) => e.line)).toEqual([2, 3, 4, 6, 7, 8, 11]);
  });
});

describe('sorting', () => {
  it('sorts by arrival, keeping file order among calls that arrive together', async () => {
    const { calls } = await readAll(jsonl(call('a', 5), call('b', 1), call('c', 5), call('d', 0), call('e', 1)), { sort: true });
    expect(calls.map((c) => [c.callId, c.line])).toEqual([['d', 4], ['b', 2], ['e', 5], ['a', 1], ['c', 3]]);
  });

  it('measures arrivalTime from the earliest call, not the first line', async () => {
    const { calls, stats } = await readAll(
      jsonl({ callId: 'late', arrivalTime: '2025-03-03T09:00:10+08:00', talkSec: 1 }, { callId: 'early', arrivalTime: '2025-03-03T09:00:00+08:00', talkSec: 1 }),
      { sort: true },
    );
    expect(calls.map((c) => [c.callId, c.arrivalSec])).toEqual([['early', 0], ['late', 10]]);
    expect(stats.origin?.arrivalTime).toBe('2025-03-03T09:00:00+08:00');
  });

  it('still refuses duplicates and bad lines, before yielding anything', async () => {
    const err = await failure(jsonl(call('a', 5), call('a', 1)), { sort: true });
    expect(err.issues).toMatchObject([{ line: 2, reason: 'duplicateCallId' }]);
  });
});

describe('streaming', () => {
  it('yields the first call before the source has finished', async () => {
    // csv-parse closes a row only after looking a few characters ahead (the line break could be
    // \r\n, the next cell could continue a quote), so the source holds a second row by then.
    const first = { jsonl: jsonl(call('a', 0), call('b', 1)), csv: 'callId,arrivalSec,talkSec\na,0,60\nb,1,60\n' };
    const rest = { jsonl: jsonl(call('c', 2)), csv: 'c,2,60\n' };
    for (const format of ['jsonl', 'csv'] as const) {
      const source = new PassThrough();
      const it = readTrace(source, { format })[Symbol.asyncIterator]();
      source.write(first[format]);
      expect((await it.next()).value).toMatchObject({ callId: 'a' });
      expect(source.writableEnded).toBe(false);
      source.end(rest[format]);
      const after: string[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) after.push(r.value.callId);
      expect(after).toEqual(['b', 'c']);
    }
  });

  it('reads a large trace as it is produced, holding only a window of it', async () => {
    const total = 1_000_000;
    let produced = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < total; i++) {
          produced++;
          yield JSON.stringify(call(`c${i}`, i)) + '\n';
        }
      })(),
    );
    let read = 0;
    let producedAtFirst = 0;
    for await (const c of readTrace(source)) {
      if (read === 0) producedAtFirst = produced;
      expect(c.line).toBe(++read);
      if (read === 50_000) break;
    }
    // Stream buffers hold a few dozen lines; the reader never waits for the whole source.
    expect(producedAtFirst).toBeLessThan(1_000);
    expect(produced).toBeLessThan(51_000);
    expect(source.destroyed).toBe(true);
  });

  it('reads a source once', () => {
    const reader = readTrace(Readable.from([jsonl(call('a', 0))]));
    reader[Symbol.asyncIterator]();
    expect(() => reader[Symbol.asyncIterator]()).toThrow(/reads its source once/);
    expect(() => reader.batches()).toThrow(/reads its source once/);
  });
});

describe('batches: the same calls a chunk at a time', () => {
  // Several chunks, so that batches end where the chunks do and calls span them.
  const chunked = (text: string) => Readable.from(text.match(/[^]{1,97}/g)!);
  async function both(text: string, opts: TraceReaderOptions) {
    const one = readTrace(chunked(text), opts);
    const single: TraceCall[] = [];
    for await (const c of one) single.push(c);
    const many = readTrace(chunked(text), opts);
    const batched: TraceCall[] = [];
    let batches = 0;
    for await (const b of many.batches()) {
      expect(b.length).toBeGreaterThan(0);
      batches++;
      batched.push(...b);
    }
    return { single, batched, batches, stats: [one.stats(), many.stats()] };
  }
  const lines = [
    ...Array.from({ length: 40 }, (_, i) => call(`c${i}`, i * 2, i % 3 === 0 ? { queue: 'general', patienceSec: 30 } : { keys: '1,2' })),
    'nope',
    call('c5', 100),
    call('late', 50),
    '',
    { callId: 'r', arrivalSec: 120, talkSec: 5, retryOf: 'c7' },
  ];

  it('skip mode: every call, field and count as the per-call iterator gives them', async () => {
    const { single, batched, batches, stats } = await both(jsonl(...lines), { onError: 'skip', queues: new Set(['general']) });
    expect(batched).toEqual(single);
    expect(single).toHaveLength(41);
    expect(batches).toBeGreaterThan(1);
    expect(stats[1]).toEqual(stats[0]);
  });

  it('sorted: the same order', async () => {
    const { single, batched } = await both(jsonl(...lines.filter((l) => typeof l !== 'string')), { onError: 'skip', sort: true });
    expect(batched).toEqual(single);
    expect(batched.map((c) => c.callId).slice(0, 3)).toEqual(['c0', 'c1', 'c2']);
  });

  it('fail mode: the calls before the first bad line, then the same error', async () => {
    const text = jsonl(...lines);
    const single: string[] = [];
    const batched: string[] = [];
    const e1 = await (async () => {
      for await (const c of readTrace(chunked(text))) single.push(c.callId);
    })().catch((e: unknown) => e);
    const e2 = await (async () => {
      for await (const b of readTrace(chunked(text)).batches()) batched.push(...b.map((c) => c.callId));
    })().catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(TraceError);
    expect((e2 as TraceError).issues).toEqual((e1 as TraceError).issues);
    expect(batched).toEqual(single);
    expect(batched).toHaveLength(40);
  });
});

describe('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trace-reader-'));

  it('tells the format from the extension', () => {
    expect(['a.jsonl', 'a.NDJSON', 'a.json', 'a.csv'].map(traceFormatOf)).toEqual(['jsonl', 'jsonl', 'jsonl', 'csv']);
    expect(() => traceFormatOf('calls.txt')).toThrow(expect.objectContaining({ code: 'TRACE_FORMAT', message: expect.stringContaining('".txt"') }));
  });

  it('reads a file by path and names it in errors', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, jsonl(call('a', 0), call('b', 1, { talkSec: 'long' })));
    const reader = readTrace(file);
    await expect(
      (async () => {
        for await (const _ of reader) continue;
      })(),
    ).rejects.toThrow(`${file}:2 at /talkSec: must be a number (got "long")`);
  });

  it('a missing file is unreadable, not invalid', async () => {
    const reader = readTrace(join(dir, 'missing.csv'));
    await expect(
      (async () => {
        for await (const _ of reader) continue;
      })(),
    ).rejects.toMatchObject({ code: 'TRACE_UNREADABLE', issues: [{ line: 0, message: expect.stringContaining('ENOENT') }] });
  });
});

describe('retries (retryOf)', () => {
  it('a line may name an earlier call it retries; the field reaches the call', async () => {
    const { calls } = await readAll(jsonl(call('a', 0, { queue: 'general' }), call('b', 200, { queue: 'general', retryOf: 'a' }), call('c', 400, { queue: 'general', retryOf: 'b' })));
    expect(calls.map((c) => [c.callId, c.retryOf])).toEqual([
      ['a', undefined],
      ['b', 'a'],
      ['c', 'b'],
    ]);
  });

  it('refuses a retryOf naming no call of the trace, with the line and the field', async () => {
    const err = await failure(jsonl(call('a', 0), call('b', 10, { retryOf: 'x' })));
    expect(err.issues).toEqual([{ line: 2, field: '/retryOf', message: 'retryOf "x" is not the callId of an earlier line; a retry follows the call it retries', reason: 'retryOf' }]);
    expect(err.message).toContain('trace:2 at /retryOf: retryOf "x" is not the callId of an earlier line');
  });

  it('refuses a retryOf naming a later line, and says which line that is', async () => {
    const err = await failure(jsonl(call('a', 0), call('b', 10, { retryOf: 'c' }), call('c', 20)));
    expect(err.issues).toEqual([{ line: 2, field: '/retryOf', message: 'retryOf "c" names the call on line 3, after this one; a retry follows the call it retries', reason: 'retryOf' }]);
    const skipped = await readAll(jsonl(call('a', 0), call('b', 10, { retryOf: 'c' }), call('c', 20)), { onError: 'skip' });
    expect(skipped.stats.skippedLines).toEqual([{ line: 2, field: '/retryOf', message: expect.stringContaining('names the call on line 3, after this one'), reason: 'retryOf' }]);
    expect(skipped.calls.map((c) => c.callId)).toEqual(['a', 'c']);
  });

  it('refuses a retry of itself, and a second retry of one call', async () => {
    const self = await failure(jsonl(call('a', 0, { retryOf: 'a' })));
    expect(self.issues[0]).toMatchObject({ line: 1, field: '/retryOf', reason: 'retryOf' });
    const twice = await failure(jsonl(call('a', 0), call('b', 10, { retryOf: 'a' }), call('c', 20, { retryOf: 'a' })));
    expect(twice.issues).toEqual([{ line: 3, field: '/retryOf', message: 'call "a" (line 1) is already retried on line 2; a second retry names the first one', reason: 'retryOf' }]);
  });

  it('sorted: a retry may come first in the file, but not arrive before the call it retries', async () => {
    const err = await failure(jsonl(call('a', 50), call('b', 10, { retryOf: 'a' })), { sort: true });
    expect(err.issues).toEqual([{ line: 2, field: '/retryOf', message: 'arrives before call "a" (line 1), which it retries', reason: 'retryOf' }]);
    const { calls } = await readAll(jsonl(call('a', 50), call('b', 60, { retryOf: 'a' }), call('c', 5)), { sort: true });
    expect(calls.map((c) => c.callId)).toEqual(['c', 'a', 'b']);
  });

  it('CSV: a retryOf column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'retry-csv-'));
    const file = join(dir, 't.csv');
    writeFileSync(file, 'callId,arrivalSec,talkSec,queue,retryOf\na,0,60,general,\nb,30,60,general,a\n');
    const calls: TraceCall[] = [];
    for await (const c of readTrace(file)) calls.push(c);
    expect(calls.map((c) => c.retryOf)).toEqual([undefined, 'a']);
  });
});
