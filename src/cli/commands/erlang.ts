import { InvalidArgumentError, Option, type Command } from 'commander';
import { agentsForServiceLevelErlangA, erlangA, type ErlangAResult } from '../../core/staffing/erlang-a.js';
import { agentsForServiceLevel, erlangC, type ErlangCResult } from '../../core/staffing/erlang-c.js';

const DEFAULT_TARGET_SL = 0.8;
const DEFAULT_THRESHOLD_SEC = 30;

interface ErlangFlags {
  callsPerHour: number;
  aht: number;
  agents?: number;
  targetSl?: number;
  threshold: number;
  patience?: number;
  json?: boolean;
}

/**
 * `ivr-sim erlang`: Erlang C (or Erlang A with --patience) figures for a head count, or the
 * smallest head count meeting a service-level target. Bad usage exits with code 2.
 */
export function registerErlangCommand(program: Command): void {
  const command = program
    .command('erlang')
    .description(
      'Erlang C staffing figures for one queue (Erlang A with --patience): for a given head count, or the fewest agents meeting a service level',
    )
    .addOption(new Option('--calls-per-hour <calls>', 'offered calls per hour').argParser(number('calls per hour', (v) => v >= 0, 'a number >= 0')).makeOptionMandatory())
    .addOption(new Option('--aht <sec>', 'mean handle time in seconds (talk plus after-call work)').argParser(number('handle time', (v) => v > 0, 'a number of seconds > 0')).makeOptionMandatory())
    .addOption(new Option('--agents <n>', 'agents on the queue: report figures for this head count').argParser(wholeNumber('agents')))
    .addOption(
      new Option('--target-sl <fraction>', `service level to reach, e.g. 0.8 for 80% (used when --agents is not given; default ${DEFAULT_TARGET_SL})`).argParser(
        number('target service level', (v) => v > 0 && v < 1, 'a fraction between 0 and 1 (exclusive), e.g. 0.8 for 80%'),
      ),
    )
    .addOption(
      new Option('--threshold <sec>', 'a call is answered in time when it waits at most this long')
        .argParser(number('threshold', (v) => v >= 0, 'a number of seconds >= 0'))
        .default(DEFAULT_THRESHOLD_SEC),
    )
    .addOption(
      new Option('--patience <sec>', 'mean caller patience in seconds: use Erlang A, which counts callers who hang up').argParser(
        number('patience', (v) => v > 0, 'a number of seconds > 0'),
      ),
    )
    .option('--json', 'print the figures as JSON')
    .action((flags: ErlangFlags, cmd: Command) => {
      if (flags.agents !== undefined && flags.targetSl !== undefined) {
        cmd.error('error: give either --agents or --target-sl, not both');
      }
      const figures = compute(flags);
      // Through commander's output, so the program's configureOutput (and tests) capture it.
      const output = cmd.configureOutput();
      const text = flags.json ? `${JSON.stringify(figures, null, 2)}\n` : table(flags, figures);
      if (output.writeOut) output.writeOut(text);
      else process.stdout.write(text);
    });

  // Whatever notices bad usage, commander or this command, the exit code is 2.
  const reportError = command.error.bind(command);
  command.error = (message, options) => reportError(message, { ...options, exitCode: 2 });
}

function compute(flags: ErlangFlags): ErlangCResult | ErlangAResult {
  const { callsPerHour, aht: ahtSec, threshold: thresholdSec, patience: patienceSec } = flags;
  if (flags.agents !== undefined) {
    const agents = flags.agents;
    return patienceSec === undefined
      ? erlangC({ callsPerHour, ahtSec, agents, thresholdSec })
      : erlangA({ callsPerHour, ahtSec, agents, thresholdSec, patienceSec });
  }
  const target = flags.targetSl ?? DEFAULT_TARGET_SL;
  return patienceSec === undefined
    ? agentsForServiceLevel(callsPerHour, ahtSec, target, thresholdSec)
    : agentsForServiceLevelErlangA(callsPerHour, ahtSec, patienceSec, target, thresholdSec);
}

function table(flags: ErlangFlags, r: ErlangCResult | ErlangAResult): string {
  const model = flags.patience === undefined ? 'Erlang C' : `Erlang A, mean patience ${flags.patience} s`;
  const goal =
    flags.agents === undefined ? `fewest agents for ${percent(flags.targetSl ?? DEFAULT_TARGET_SL)} within ${flags.threshold} s` : `${r.agents} agents`;
  const unstable = !Number.isFinite(r.asaSec);
  const rows: Array<[string, string]> = [
    ['agents', String(r.agents)],
    ['traffic', `${r.trafficErlangs.toFixed(2)} Erlangs`],
    ['P(wait)', percent(r.pWait)],
  ];
  if ('pAbandon' in r) rows.push(['abandoned', percent(r.pAbandon)]);
  rows.push(
    ['service level', `${percent(r.serviceLevel)} answered within ${flags.threshold} s`],
    ['ASA', unstable ? 'unbounded: agents do not exceed the traffic, so the queue grows without limit' : `${r.asaSec.toFixed(1)} s`],
    ['occupancy', percent(r.occupancy)],
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `${model}: ${flags.callsPerHour} calls/h, AHT ${flags.aht} s, ${goal}`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    '',
  ].join('\n');
}

function percent(v: number): string {
  return `${(v * 100).toFixed(1)}%`;
}

function number(what: string, ok: (v: number) => boolean, expected: string): (text: string) => number {
  return (text) => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || !ok(v)) throw usage(`${what} must be ${expected}`);
    return v;
  };
}

function wholeNumber(what: string): (text: string) => number {
  return (text) => {
    if (!/^\d+$/.test(text.trim())) throw usage(`${what} must be a whole number >= 0`);
    return Number(text);
  };
}

function usage(message: string): InvalidArgumentError {
  const error = new InvalidArgumentError(message);
  error.exitCode = 2;
  return error;
}
