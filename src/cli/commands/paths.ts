import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadConfiguration } from '../../core/configuration/configuration.js';
import { CallDecider } from '../../core/decision/call-decider.js';
import { keyPaths, type KeyPath } from '../../core/designer/key-paths.js';
import { callerFor, factsText, sampleCallers } from '../../core/designer/sample-callers.js';
import type { CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';
import { resolveFlow } from './graph.js';

interface PathsFlags extends ConfigFlags {
  json?: boolean;
}

export function registerPathsCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('paths')
      .argument('<flow>', 'flow id or segment, e.g. vip-diamond')
      .description('the shortest keys to every state and outcome of a flow, ready to paste into ivr-sim call --keys')
      .option('--json', 'print the paths as JSON'),
  ).action((name: string, flags: PathsFlags) => {
    const config = loadConfiguration(configPaths(flags));
    const flow = resolveFlow(config, name);
    const callers = sampleCallers(config, new CallDecider(config));
    const typical = callerFor(callers, flow, {});
    const paths = keyPaths(flow).map((p) => {
      // Suggest a customer whom the flow's guards treat as the path needs, if the file has one.
      const who = callerFor(callers, flow, p.facts);
      return { ...p, keysArg: p.keys.join(','), caller: who?.profile.phone ?? null };
    });
    if (flags.json) {
      io.out(JSON.stringify({ flow: flow.id, segment: flow.segment, file: flow.file, caller: typical?.profile.phone ?? null, paths }, null, 2) + '\n');
      return;
    }
    const customers = basename(config.paths.customersFile);
    const lines = [
      `Shortest key paths through flow ${flow.id} (${basename(flow.file)}), from the start of a call.`,
      typical
        ? `Try one: ivr-sim call --caller ${typical.profile.phone} --keys <keys>   (a ${flow.segment} customer in ${customers})`
        : `Try one: ivr-sim call --profile <file> --keys <keys>   (${customers} has no ${flow.segment} customer)`,
      'Each key is pressed as its prompt ends; "(no input)": then let the wait time out; "(passes through)": the call does not wait there.',
      '',
    ];
    for (const p of paths) lines.push(`  ${p.state}: ${describe(p, p.caller, typical?.profile.phone ?? null, flow.segment)}`);
    io.out(lines.join('\n') + '\n');
  });
}

function describe(p: KeyPath & { keysArg: string }, caller: string | null, typical: string | null, segment: string): string {
  const parts: string[] = [];
  if (p.keys.length === 0 && !p.endsWithNoInput) parts.push(p.kind === 'passes' ? '(no keys)' : '(no keys: every call starts here)');
  else parts.push([p.keysArg, p.endsWithNoInput ? '(no input)' : ''].filter(Boolean).join(' '));
  if (!p.pasteable) parts.push('(waits for a timeout before a later key: --keys cannot say that; "wait" marks it)');
  if (Object.keys(p.facts).length) {
    const who = caller && caller !== typical ? ` e.g. --caller ${caller}` : caller ? '' : ` (no ${segment} customer has it: use --profile)`;
    parts.push(`[${factsText(p.facts)}]${who}`);
  }
  if (p.kind === 'passes') parts.push('(passes through)');
  if (p.kind === 'outcome') parts.push('(outcome)');
  return parts.join('  ');
}
