import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('ivr-sim --version', () => {
  it.each(['--version', '-V'])('%s prints the version of package.json and exits 0', async (flag) => {
    const io = bufferIO();
    expect(await runCli([flag], io)).toBe(0);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(io.stdout).toBe(`${version}\n`);
    expect(io.stderr).toBe('');
  });

  it('is listed in the help', async () => {
    const io = bufferIO();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.stdout).toMatch(/-V, --version +print the version of ivr-sim/);
  });
});
