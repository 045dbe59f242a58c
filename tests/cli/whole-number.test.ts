import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { wholeNumber } from '../../src/cli/whole-number.js';

describe('whole-number flags', () => {
  it('take decimal digits only, within their bounds', () => {
    expect(wholeNumber('--n', '12', 1)).toBe(12);
    expect(wholeNumber('--n', '0', 0)).toBe(0);
    expect(wholeNumber('--n', '1000', 2, 1000)).toBe(1000);
    for (const bad of ['1e1', '0x10', ' 3', '3 ', '3.0', '2.5', '-1', '', 'abc', '99999999999999999999']) {
      expect(() => wholeNumber('--n', bad, 0), JSON.stringify(bad)).toThrow(`--n ${bad}: expected a whole number >= 0`);
    }
    expect(() => wholeNumber('--n', '1', 2, 1000)).toThrow('--n 1: expected a whole number from 2 to 1000');
    expect(() => wholeNumber('--n', '1001', 2, 1000)).toThrow('--n 1001: expected a whole number from 2 to 1000');
  });

  it.each([
    ['replication-worker', '--concurrency', '1e1', ['replication-worker', '--redis-url', 'redis://127.0.0.1:1', '--concurrency', '1e1']],
    ['replay', '--seed', '1e3', ['replay', 'data/traces/sample.jsonl', '--seed', '1e3']],
    ['staff', '--min-agents', '0x10', ['staff', 'data/traces/sample.jsonl', '--min-agents', '0x10']],
  ])('%s %s %s is a usage error (exit 2), nothing run', async (_cmd, flag, value, argv) => {
    const io = bufferIO();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.stderr).toContain(`${flag} ${value}: expected a whole number`);
    expect(io.stdout).toBe('');
  });
});
