import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';

/**
 * The golden trace (data/traces/golden.jsonl: every segment, hot keys, diagnosis fixed and not,
 * invalid and missing input, a hang-up, an ACD-level line, an inline profile, an unknown caller)
 * replayed against the shipped flows, rules, customers and staffing. Any change to a figure
 * shows up as a diff of tests/golden/golden-report.json; update it with `npx vitest run -u`
 * and say in the commit why the numbers moved.
 */
describe('the golden trace', () => {
  it('replays to its expected report', async () => {
    const io = bufferIO();
    const code = await runCli(['replay', 'data/traces/golden.jsonl', '--json', '--seed', '1'], io);
    expect(io.stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(io.stdout.split(PACKAGE_ROOT).join('.'));
    await expect(JSON.stringify(report, null, 2) + '\n').toMatchFileSnapshot('../golden/golden-report.json');
  });
});
