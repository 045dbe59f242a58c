import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, formatIssue } from '../core/config/config-error.js';
import { PACKAGE_ROOT } from '../core/config/package-root.js';
import { exitCodeOf } from '../core/errors/named-error.js';
import { processIO, type CliIO } from './cli-io.js';

type Register = (program: Command, io: CliIO) => void;

/**
 * Every command, in the order help lists them, with the module that defines it. A command's
 * module is loaded only when the program needs it: running one command loads that command's
 * code (the rest of the product's modules are a tenth of a second of CPU at start-up).
 */
export const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['call', async () => (await import('./commands/call.js')).registerCallCommand],
  ['validate', async () => (await import('./commands/validate.js')).registerValidateCommand],
  ['replay', async () => (await import('./commands/replay.js')).registerReplayCommand],
  ['calibrate', async () => (await import('./commands/calibrate.js')).registerCalibrateCommand],
  ['compare', async () => (await import('./commands/compare.js')).registerCompareCommand],
  ['replication-worker', async () => (await import('./commands/replication-worker.js')).registerReplicationWorkerCommand],
  ['staff', async () => (await import('./commands/staff.js')).registerStaffCommand],
  ['erlang', async () => (await import('./commands/erlang.js')).registerErlangCommand],
  ['gen', async () => (await import('./commands/gen.js')).registerGenCommand],
  ['export-trace', async () => (await import('./commands/export-trace.js')).registerExportTraceCommand],
  ['graph', async () => (await import('./commands/graph.js')).registerGraphCommand],
  ['lint', async () => (await import('./commands/lint.js')).registerLintCommand],
  ['paths', async () => (await import('./commands/paths.js')).registerPathsCommand],
  ['test-flows', async () => (await import('./commands/test-flows.js')).registerTestFlowsCommand],
  ['sms-stats', async () => (await import('./commands/sms-stats.js')).registerSmsStatsCommand],
];

/** The version in ivr-sim's package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Builds the `ivr-sim` program; every command writes through `io`. With `only` (a command's
 * name), just that command is loaded and registered: what running it needs. Without, all of
 * them (help, and anything that is not a command's name).
 */
export async function buildProgram(io: CliIO, only?: string): Promise<Command> {
  const program = new Command('ivr-sim')
    .description('IVR and routing simulator: segment flows, hand-off rules, trace replay, Erlang staffing')
    .version(packageVersion(), '-V, --version', 'print the version of ivr-sim')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  const wanted = COMMANDS.filter(([name]) => only === undefined || name === only);
  for (const register of await Promise.all((wanted.length ? wanted : COMMANDS).map(([, load]) => load()))) register(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 invalid input data, 2 wrong usage. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  // The first argument names the command to run (an option or nothing: help or the version).
  const program = await buildProgram(io, argv[0]);
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
