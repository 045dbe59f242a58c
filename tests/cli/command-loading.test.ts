import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { buildProgram, COMMANDS, runCli } from '../../src/cli/main.js';

/** Running a command loads that command's module alone; help and anything else load them all. */
describe('ivr-sim loads the command it runs', () => {
  it.each(COMMANDS.map(([name]) => name))('%s: the program built for it holds that command alone, under that name', async (name) => {
    const program = await buildProgram(bufferIO(), name);
    expect(program.commands.map((c) => c.name())).toEqual([name]);
  });

  it('every command, in the listed order, when no command is named or the name is none of them', async () => {
    const names = COMMANDS.map(([name]) => name);
    for (const first of [undefined, '--help', 'no-such-command']) {
      expect((await buildProgram(bufferIO(), first)).commands.map((c) => c.name())).toEqual(names);
    }
    const help = bufferIO();
    expect(await runCli(['--help'], help)).toBe(0);
    const listed = names.map((name) => help.stdout.indexOf(`\n  ${name} `));
    expect(listed.every((at) => at > 0)).toBe(true);
    expect([...listed].sort((a, b) => a - b)).toEqual(listed);
  });

  it('an unknown command is a usage error naming the closest command, as before', async () => {
    const io = bufferIO();
    expect(await runCli(['replai', 'data/traces/sample.jsonl'], io)).toBe(2);
    expect(io.stderr).toContain("unknown command 'replai'");
    expect(io.stderr).toContain('replay');
  });
});
