import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { checkOutputPath, OutputWriteError, writeOutputs } from '../../src/cli/output-path.js';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { scratch } from '../helpers/trace-files.js';
import { cli } from '../helpers/cli.js';

let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const GOLDEN = 'data/traces/golden.jsonl';

/** Every command with --out, writing to `out`. */
const writers = (out: string): [string, string[]][] => [
  ['replay', ['replay', GOLDEN, '--out', out]],
  ['staff', ['staff', GOLDEN, '--out', out]],
  ['gen', ['gen', '--calls', '5', '--seed', '1', '--out', out]],
  ['graph', ['graph', 'vip-gold', '--out', out]],
  ['export-trace', ['export-trace', '--from-redis', '--redis-url', 'redis://127.0.0.1:1', '--out', out]],
];

describe('--out is checked before anything runs', () => {
  it('refuses a path under /proc, /sys or /dev at once, for every command, with exit code 2', async () => {
    for (const out of ['/proc/x', '/proc/self/report', '/sys/x', '/dev/null', '/dev/x/y']) {
      for (const [name, argv] of writers(out)) {
        const r = await cli(...argv);
        expect(r.code, `${name} --out ${out}`).toBe(2);
        expect(r.out, `${name} --out ${out}`).toBe('');
        expect(r.err, `${name} --out ${out}`).toMatch(new RegExp(`^ivr-sim: --out ${out}: \\S+ is on (the \\w+ file system|/dev), which holds no ordinary files; write to a regular directory; nothing was run\\n$`));
      }
    }
  });

  it('refuses a path below a file, for every command', async () => {
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, 'x');
    for (const [name, argv] of writers(join(file, 'sub', 'out'))) {
      const r = await cli(...argv);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toBe(`ivr-sim: --out ${join(file, 'sub', 'out')}: ${file} is a file, so ${join(file, 'sub', 'out')} cannot be created there; nothing was run\n`);
    }
  });

  it('refuses a file where a directory is needed, and a directory where a file is', async () => {
    const file = join(tmp.dir, 'report');
    writeFileSync(file, 'x');
    expect(await cli('replay', GOLDEN, '--out', file)).toMatchObject({
      code: 2,
      out: '',
      err: `ivr-sim: --out ${file}: is a file; --out takes a directory to write into; nothing was run\n`,
    });
    for (const [name, argv] of writers(tmp.dir).filter(([n]) => n !== 'replay')) {
      const r = await cli(...argv);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toBe(`ivr-sim: --out ${tmp.dir}: is a directory; --out takes a file to write; nothing was run\n`);
    }
  });

  it('accepts a directory that does not exist yet, and creates it', async () => {
    const out = join(tmp.dir, 'new', 'reports');
    const r = await cli('replay', GOLDEN, '--out', out);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json']);
    const staffing = join(tmp.dir, 'plans', 'staffing.json');
    expect((await cli('staff', GOLDEN, '--out', staffing)).code).toBe(0);
    expect(JSON.parse(readFileSync(staffing, 'utf8'))).toHaveProperty('queues');
    const trace = join(tmp.dir, 'traces', 'gen.jsonl');
    expect((await cli('gen', '--calls', '5', '--seed', '1', '--out', trace)).code).toBe(0);
    expect(readFileSync(trace, 'utf8').trimEnd().split('\n')).toHaveLength(5);
    expect(readdirSync(join(tmp.dir, 'traces'))).toEqual(['gen.jsonl']);
  });

  it('checkOutputPath returns the absolute path it checked', () => {
    expect(checkOutputPath('--out', join(tmp.dir, 'x', '..', 'y.json'), 'file')).toBe(join(tmp.dir, 'y.json'));
  });
});

describe('results are never lost to a write error', () => {
  it('replay prints the whole report to stdout when report.json cannot be written, then fails with exit code 1', async () => {
    const out = join(tmp.dir, 'reports');
    // A directory in the way of report.json: --out itself is fine, the write fails.
    mkdirSync(join(out, 'report.json'), { recursive: true });
    const r = await cli('replay', GOLDEN, '--out', out);
    expect(r.code).toBe(1);
    expect(r.out).toContain('Replay of data/traces/golden.jsonl: 40 calls');
    const json = r.out.slice(r.out.indexOf('\n{') + 1);
    const report = JSON.parse(json) as ReplayReport;
    expect(report.calls).toBe(40);
    expect(r.err).toMatch(new RegExp(`^ivr-sim: could not write ${join(out, 'report.json')}: \\w+ .*; the results were printed to standard output instead\\n$`));
    expect(readdirSync(out)).toEqual(['report.json']);
  });

  it('with --json the report on stdout is all there is to keep', async () => {
    const out = join(tmp.dir, 'reports');
    mkdirSync(join(out, 'report.html'), { recursive: true });
    const r = await cli('replay', GOLDEN, '--out', out, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ calls: 40 });
    expect(r.err).toContain(`could not write ${join(out, 'report.html')}`);
  });

  it('a file that cannot be written goes to stdout instead, and the error says so', () => {
    const file = join(tmp.dir, 'a-file');
    writeFileSync(file, 'x');
    const io = bufferIO();
    const target = join(file, 'staffing.json');
    expect(() => writeOutputs(io, [{ file: target, text: '{"queues": []}\n' }], '{"queues": []}\n')).toThrow(OutputWriteError);
    expect(io.stdout).toBe('{"queues": []}\n');
    expect(() => writeOutputs(bufferIO(), [{ file: target, text: 'x' }], 'x')).toThrow(
      new RegExp(`^could not write ${target}: E[A-Z]+ .*; the results were printed to standard output instead$`),
    );
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual(['a-file']);
  });
});
