import type { Command } from 'commander';
import { resolve } from 'node:path';
import { defaultPaths, type ConfigPaths } from '../core/configuration/configuration.js';

export interface ConfigFlags {
  flows?: string;
  rules?: string;
  customers?: string;
}

/** Adds the flags that point a command at another set of flows, rules or customers. */
export function withConfigOptions(cmd: Command): Command {
  const d = defaultPaths();
  return cmd
    .option('--flows <dir>', `flows directory (default ${d.flowsDir})`)
    .option('--rules <dir>', `rules directory (default ${d.rulesDir})`)
    .option('--customers <file>', `customers file (default ${d.customersFile})`);
}

export function configPaths(flags: ConfigFlags): ConfigPaths {
  const d = defaultPaths();
  return {
    flowsDir: flags.flows ? resolve(flags.flows) : d.flowsDir,
    rulesDir: flags.rules ? resolve(flags.rules) : d.rulesDir,
    customersFile: flags.customers ? resolve(flags.customers) : d.customersFile,
  };
}
