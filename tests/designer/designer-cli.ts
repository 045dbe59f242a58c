import { CommanderError } from 'commander';
import { UsageError } from '../../src/cli/cli-error.js';
import { bufferIO } from '../../src/cli/cli-io.js';
import { registerGraphCommand } from '../../src/cli/commands/graph.js';
import { registerLintCommand } from '../../src/cli/commands/lint.js';
import { registerPathsCommand } from '../../src/cli/commands/paths.js';
import { registerTestFlowsCommand } from '../../src/cli/commands/test-flows.js';
import { buildProgram, runCli } from '../../src/cli/main.js';
import { ConfigError, formatIssue } from '../../src/core/config/config-error.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

const DESIGNER_COMMANDS = ['graph', 'lint', 'paths', 'test-flows'];

/**
 * Runs `ivr-sim` in-process. Uses the real entry point once it registers the designer commands;
 * until then, the same program with them added and the same exit-code mapping as runCli.
 */
export async function cli(...argv: string[]): Promise<CliResult> {
  const io = bufferIO();
  const program = await buildProgram(io);
  if (DESIGNER_COMMANDS.every((name) => program.commands.some((c) => c.name() === name))) {
    const code = await runCli(argv, io);
    return { code, out: io.stdout, err: io.stderr };
  }
  registerGraphCommand(program, io);
  registerLintCommand(program, io);
  registerPathsCommand(program, io);
  registerTestFlowsCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  let code = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : 2;
    else if (err instanceof UsageError) {
      io.err(`ivr-sim: ${err.message}\n`);
      code = 2;
    } else if (err instanceof ConfigError) {
      for (const issue of err.issues) io.err(formatIssue(issue) + '\n');
      code = 1;
    } else if (err instanceof Error && typeof (err as Error & { exitCode?: unknown }).exitCode === 'number') {
      io.err(`ivr-sim: ${err.message}\n`);
      code = (err as Error & { exitCode: number }).exitCode;
    } else throw err;
  }
  return { code, out: io.stdout, err: io.stderr };
}
