import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const line = (i: number, extra: object = {}) => ({ callId: `c-${i}`, arrivalSec: 8 * 3600 + i * 10, caller: '+8613800000001', keys: '0', talkSec: 120, ...extra });

/** Every command that reads a trace, run on `trace`. */
const readers = (trace: string): [string, string[]][] => [
  ['replay', ['replay', trace]],
  ['replay --json', ['replay', trace, '--json']],
  ['compare', ['compare', trace, '--baseline', '.', '--candidate', '.']],
  ['staff', ['staff', trace]],
];

describe('a trace with no calls fails every command that reads traces, with exit code 1', () => {
  it('an empty file, or one of blank lines', async () => {
    const empty = join(tmp.dir, 'empty.jsonl');
    writeFileSync(empty, '');
    for (const trace of [empty, tmp.file('blank.jsonl', ['', '  '])]) {
      for (const [name, argv] of readers(trace)) {
        const r = await cli(...argv);
        expect(r.code, name).toBe(1);
        expect(r.out, name).toBe('');
        expect(r.err, name).toBe(`ivr-sim: trace ${trace} has no calls: it is empty or holds only blank lines; nothing was run\n`);
      }
    }
  });

  it('a file whose every line is skipped, naming the lines', async () => {
    const trace = tmp.file('bad.jsonl', ['nope', line(1, { talkSec: 'long' }), line(2, { queue: 'billing', keys: undefined })]);
    for (const [name, argv] of readers(trace)) {
      const r = await cli(...argv, '--on-error', 'skip');
      expect(r.code, name).toBe(1);
      expect(r.out, name).toBe('');
      expect(r.err, name).toContain(`ivr-sim: trace ${trace} has no calls: every line was skipped for errors`);
      expect(r.err, name).toContain(`${trace}:2 at /talkSec: must be a number (got "long")`);
      expect(r.err, name).toContain(`${trace}:3 at /queue: queue "billing" is not in the staffing file`);
    }
  });

  it('a CSV with a header and no rows', async () => {
    const trace = tmp.file('empty.csv', ['callId,arrivalSec,talkSec']);
    const r = await cli('replay', trace);
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining('has no calls') });
  });
});

describe('--on-error skip says which lines it left out', () => {
  const lines = () => [line(0), 'nope', line(2, { talkSec: -5 }), line(3), line(4, { queue: 'billing', keys: undefined })];

  it('in the JSON report, next to the counts by reason', async () => {
    const trace = tmp.file('t.jsonl', lines());
    const r = await cli('replay', trace, '--json', '--on-error', 'skip');
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out) as ReplayReport;
    expect(rep.input.skippedByReason).toEqual({ syntax: 1, schema: 1, unknownQueue: 1 });
    expect(rep.input.skippedLines).toEqual([
      { line: 2, field: '', reason: 'syntax', message: expect.stringContaining('not valid JSON') },
      { line: 3, field: '/talkSec', reason: 'schema', message: 'must be >= 0 (got -5)' },
      { line: 5, field: '/queue', reason: 'unknownQueue', message: expect.stringContaining('queue "billing" is not in the staffing file') },
    ]);
  });

  it('on stderr, line by line, for replay, compare and staff', async () => {
    const trace = tmp.file('t.jsonl', lines());
    for (const [name, argv] of readers(trace)) {
      const r = await cli(...argv, '--on-error', 'skip');
      expect(r.code, name).toBe(0);
      expect(r.err, name).toContain(`skipped 3 lines of ${trace} (--on-error skip):\n`);
      expect(r.err, name).toContain(`  ${trace}:3 at /talkSec: must be >= 0 (got -5) [schema]\n`);
      expect(r.err, name).toContain(`  ${trace}:5 at /queue: queue "billing"`);
    }
  });

  it('at most the first ten, saying how many there were', async () => {
    const trace = tmp.file('t.jsonl', [line(0), ...Array.from({ length: 25 }, (_, i) => line(i + 1, { talkSec: -1 }))]);
    const r = await cli('replay', trace, '--on-error', 'skip');
    expect(r.err).toContain(`skipped 25 lines of ${trace} (--on-error skip); the first 10:\n`);
    expect(r.err.match(/ \[schema\]\n/g)).toHaveLength(10);
  });
});

describe('trace messages', () => {
  it('a missing trace file is "file not found", said once', async () => {
    const r = await cli('replay', '/nonexistent/calls.jsonl');
    expect(r.code).toBe(1);
    expect(r.err).toBe('ivr-sim: trace /nonexistent/calls.jsonl: file not found (ENOENT)\n');
  });

  it('a CSV without talkSec is one error about the header', async () => {
    const trace = tmp.file('t.csv', ['callId,arrivalSec', 'a,0', 'b,1', 'c,2']);
    const r = await cli('replay', trace);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `ivr-sim: trace ${trace} is not in a format the reader knows\n  ${trace}:1: the header has no talkSec column; every trace needs callId, talkSec and arrivalSec or arrivalTime (header: callId,arrivalSec)\n`,
    );
  });

  it('a semicolon-separated CSV, as some spreadsheets save it, replays', async () => {
    const trace = tmp.file('t.csv', ['callId;arrivalSec;caller;keys;talkSec', 'a;28800;+8613800000001;0;120', 'b;28810;+8613800000001;1,9;120']);
    const r = await cli('replay', trace, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ calls: 2, selfServed: 1, handedOff: 1 });
  });
});
