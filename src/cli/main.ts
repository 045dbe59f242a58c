import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, formatIssue } from '../core/config/config-error.js';
import { PACKAGE_ROOT } from '../core/config/package-root.js';
import { exitCodeOf } from '../core/errors/named-error.js';
import { processIO, type CliIO } from './cli-io.js';
import { registerCalibrateCommand } from './commands/calibrate.js';
import { registerCallCommand } from './commands/call.js';
import { registerCompareCommand } from './commands/compare.js';
import { registerErlangCommand } from './commands/erlang.js';
import { registerExportTraceCommand } from './commands/export-trace.js';
import { registerGenCommand } from './commands/gen.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerLintCommand } from './commands/lint.js';
import { registerPathsCommand } from './commands/paths.js';
import { registerReplayCommand } from './commands/replay.js';
import { registerReplicationWorkerCommand } from './commands/replication-worker.js';
import { registerSmsStatsCommand } from './commands/sms-stats.js';
import { registerStaffCommand } from './commands/staff.js';
import { registerTestFlowsCommand } from './commands/test-flows.js';
import { registerValidateCommand } from './commands/validate.js';

/** The version in ivr-sim's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the `ivr-sim` program; every command writes through `io`. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('ivr-sim')
    .description('IVR and routing simulator: segment flows, hand-off rules, trace replay, Erlang staffing')
    .version(packageVersion(), '-V, --version', 'print the version of ivr-sim')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerCallCommand(program, io);
  registerValidateCommand(program, io);
  registerReplayCommand(program, io);
  registerCalibrateCommand(program, io);
  registerCompareCommand(program, io);
  registerReplicationWorkerCommand(program, io);
  registerStaffCommand(program, io);
  registerErlangCommand(program);
  registerGenCommand(program, io);
  registerExportTraceCommand(program, io);
  registerGraphCommand(program, io);
  registerLintCommand(program, io);
  registerPathsCommand(program, io);
  registerTestFlowsCommand(program, io);
  registerSmsStatsCommand(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 invalid input data, 2 wrong usage. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ConfigError) {
      for (const issue of err.issues) io.err(formatIssue(issue) + '\n');
      const n = err.issues.filter((i) => i.severity === 'error').length;
      io.err(`ivr-sim: ${n} error${n === 1 ? '' : 's'}; nothing was run\n`);
      return err.exitCode;
    }
    // Named errors (UsageError: 2; bad input data: 1) carry their own exit code.
    const exitCode = exitCodeOf(err);
    if (exitCode !== undefined) {
      io.err(`ivr-sim: ${(err as Error).message}\n`);
      return exitCode;
    }
    throw err;
  }
}

/** Resolves once what was written to `stream` so far has been handed to the system. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * The `ivr-sim` executable: runs the command, then exits with its code once its output is
 * flushed. A command is done when its action returns (threads ended, connections closed), so
 * nothing left in the event loop is owed to anyone: a library's idle timer (ioredis's reply
 * parser keeps one for a second or two after a large reply) must not hold the process after
 * the report.
 */
export async function main(argv: readonly string[]): Promise<never> {
  const code = await runCli(argv);
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
