import { existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadQueueBehaviour, type QueueBehaviour } from '../core/behaviour/queue-behaviour.js';
import { UsageError } from './cli-error.js';
import { checkOutputPath } from './output-path.js';

export interface BehaviourFlags {
  behaviour?: string;
  scenario?: string;
  acdLog?: string;
  staffing?: string;
}

/** What the options ask for, checked before anything runs. */
export interface BehaviourChoice {
  /** The staffing file a --scenario directory sets. */
  staffing?: string;
  behaviour?: QueueBehaviour;
  behaviourFile?: string;
  /** Where to write the simulated calls as an ACD log, and in which format. */
  acdLog?: { path: string; format: 'csv' | 'jsonl' };
}

/** The replay options for callers' queue behaviour and for writing the simulated day as an ACD log. */
export function withBehaviourOptions(cmd: Command): Command {
  return cmd
    .option('--behaviour <file>', 'queue-behaviour model (patience, retrials; schemas/queue-behaviour.schema.json): lines without patienceSec draw patience from it, retries follow the simulation')
    .option('--scenario <dir>', 'a calibrated scenario directory: its staffing.json and behaviour.json, as --staffing DIR/staffing.json --behaviour DIR/behaviour.json')
    .option('--acd-log <file>', 'also write every simulated call as an ACD call log (.csv, or .jsonl for JSON Lines)');
}

/**
 * Reads the behaviour options. Usage errors: --scenario with --staffing or --behaviour, a
 * scenario directory without its files, an ACD log of another format, or a log that cannot be
 * written (checked before the run).
 */
export function parseBehaviourFlags(flags: BehaviourFlags): BehaviourChoice {
  const choice: BehaviourChoice = {};
  let behaviourFile = flags.behaviour;
  if (flags.scenario !== undefined) {
    const clash = flags.staffing !== undefined ? '--staffing' : flags.behaviour !== undefined ? '--behaviour' : undefined;
    if (clash) throw new UsageError(`--scenario ${flags.scenario} sets the staffing and the behaviour model; leave out ${clash} (or --scenario)`);
    const dir = resolve(flags.scenario);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--scenario ${flags.scenario}: not a directory`);
    const missing = ['staffing.json', 'behaviour.json'].filter((f) => !existsSync(join(dir, f)));
    if (missing.length) throw new UsageError(`--scenario ${flags.scenario}: ${missing.join(' and ')} missing; a scenario directory (as ivr-sim calibrate writes it) holds trace.jsonl, staffing.json and behaviour.json`);
    choice.staffing = join(dir, 'staffing.json');
    behaviourFile = join(dir, 'behaviour.json');
  }
  if (behaviourFile !== undefined) {
    choice.behaviourFile = resolve(behaviourFile);
    choice.behaviour = loadQueueBehaviour(choice.behaviourFile);
  }
  if (flags.acdLog !== undefined) {
    const ext = extname(flags.acdLog).toLowerCase();
    if (ext !== '.csv' && ext !== '.jsonl') throw new UsageError(`--acd-log ${flags.acdLog}: name a .csv file (or .jsonl for JSON Lines)`);
    choice.acdLog = { path: checkOutputPath('--acd-log', flags.acdLog, 'file'), format: ext === '.csv' ? 'csv' : 'jsonl' };
  }
  return choice;
}
