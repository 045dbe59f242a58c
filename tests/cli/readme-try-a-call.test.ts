import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { scratch } from '../helpers/trace-files.js';

/** The README's "Try a call" block, line by line, without its comments. */
function tryACallBlock(): string[] {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const block = /## Try a call\n+```sh\n([\s\S]*?)```/.exec(readme);
  expect(block, 'README.md has a "## Try a call" section opening with a sh block').not.toBeNull();
  return block![1]!
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => l !== '');
}

describe("the README's Try a call commands, as a new user types them", () => {
  const tmp = scratch();
  afterAll(() => tmp.remove());

  it('every one runs and succeeds, including the one with a profile file of your own', async () => {
    const written = new Map<string, string>();
    const lines = tryACallBlock();
    expect(lines.some((l) => l.includes('--profile'))).toBe(true);
    for (const line of lines) {
      const echo = /^echo '(.*)' > (\S+)$/.exec(line);
      if (echo) {
        const file = join(tmp.dir, echo[2]!);
        writeFileSync(file, echo[1]! + '\n');
        written.set(echo[2]!, file);
        continue;
      }
      expect(line.startsWith('npx ivr-sim '), `a line the test can run: ${line}`).toBe(true);
      const argv = line.slice('npx ivr-sim '.length).split(/\s+/).map((a) => written.get(a) ?? a);
      const io = bufferIO();
      const code = await runCli(argv, io);
      expect({ line, code, err: io.stderr }).toEqual({ line, code: 0, err: '' });
      expect(io.stdout.length).toBeGreaterThan(0);
    }
  }, 30_000);
});
