import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultPaths, loadConfiguration, PACKAGE_ROOT } from '../core/configuration/configuration.js';
import type { Scenario } from '../core/replay/replay-run.js';
import { contactPolicyFileIn, loadContactPolicy } from '../core/sms/contact-policy-file.js';
import { loadStaffingFile } from '../core/staffing/staffing-file.js';
import { overrideStaffing } from '../core/staffing/staffing-override.js';
import { UsageError } from './cli-error.js';
import type { CliIO } from './cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from './config-options.js';
import { wholeNumber } from './whole-number.js';

export const DEFAULT_STAFFING_FILE = resolve(PACKAGE_ROOT, 'data', 'staffing.json');

export interface ScenarioFlags extends ConfigFlags {
  staffing?: string;
  staff?: string;
  seed: string;
  interval?: string;
}

/** The flags every replaying command shares: configuration, staffing, seed, interval. */
export function withScenarioOptions(cmd: Command): Command {
  return withConfigOptions(cmd)
    .option('--staffing <file>', `staffing file (default ${DEFAULT_STAFFING_FILE})`)
    .option('--staff <spec>', 'what-if staffing: "general=35,vip=8" gives each listed queue exactly N dedicated agents (its skill is taken off the other groups); other queues keep the staffing file\'s groups')
    .option('--seed <n>', 'seed for what the replay varies (which rolling promotion a caller hears)', '1')
    .option('--interval <minutes>', 'reporting interval: 15, 30 or 60 (default: the staffing file\'s)');
}

export function parseSeed(text: string): number {
  return wholeNumber('--seed', text, 0);
}

/** Loads flows, rules, customers and staffing into a scenario; every problem is reported before anything runs. */
export async function loadScenario(flags: ScenarioFlags, io: CliIO, label = ''): Promise<Scenario> {
  const staffingFile = flags.staffing ? resolve(flags.staffing) : DEFAULT_STAFFING_FILE;
  const { staffing: base, warnings } = await loadStaffingFile(staffingFile);
  for (const w of warnings) io.err(`warning: ${label}${w.file}: ${w.path}: ${w.message}\n`);
  const staffing = flags.staff ? overrideStaffing(flags.staff, base, `--staff ${flags.staff}`) : base;
  let intervalMin: number | undefined;
  if (flags.interval !== undefined) {
    intervalMin = Number(flags.interval);
    if (![15, 30, 60].includes(intervalMin)) throw new UsageError(`--interval ${flags.interval}: expected 15, 30 or 60 (minutes)`);
  }
  // Routes are checked against the staffing's queues by the replay, at the first call through the
  // IVR: a trace of ACD-level lines needs only the queues it names.
  const config = loadConfiguration(configPaths(flags));
  const policyFile = contactPolicyFileIn(config.paths.rulesDir);
  return {
    config,
    // The SMS contact policy that sits with the rules, applied in simulated time (nothing is sent);
    // a rules directory without one replays without the report's contactPolicy section.
    ...(existsSync(policyFile) ? { contactPolicy: loadContactPolicy(policyFile) } : {}),
    staffing,
    staffingSource: flags.staff ? `${staffingFile} with --staff ${flags.staff}` : staffingFile,
    seed: parseSeed(flags.seed),
    ...(intervalMin !== undefined ? { intervalMin } : {}),
  };
}

/** Scenario flags read from a directory holding flows/, rules/ and optionally customers.json and staffing.json. */
export function scenarioFlagsFromDir(dir: string, base: ScenarioFlags): ScenarioFlags {
  const d = defaultPaths();
  const abs = resolve(dir);
  const has = (p: string) => existsSync(p);
  return {
    ...base,
    flows: has(`${abs}/flows`) ? `${abs}/flows` : d.flowsDir,
    rules: has(`${abs}/rules`) ? `${abs}/rules` : d.rulesDir,
    customers: has(`${abs}/customers.json`) ? `${abs}/customers.json` : (base.customers ?? d.customersFile),
    ...(has(`${abs}/staffing.json`) ? { staffing: `${abs}/staffing.json` } : {}),
  };
}
