import type { Command } from 'commander';
import { formatIssue } from '../../core/config/config-error.js';
import { loadConfiguration } from '../../core/configuration/configuration.js';
import type { CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';

export function registerValidateCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('validate')
      .description('check flows, prompts, rules and customers; exit 0 when all is valid, else list every error and exit 1'),
  ).action((flags: ConfigFlags) => {
    // A ConfigError propagates to main, which lists every issue and exits 1.
    const config = loadConfiguration(configPaths(flags));
    for (const w of config.warnings) io.err(formatIssue(w) + '\n');
    const r = config.rules;
    const ruleCount = r.segments.doc.rules.length + r.routing.doc.rules.length + r.popups.doc.rules.length + r.sms.doc.rules.length;
    io.out(
      `valid: ${config.flows.flows.size} flows, ${config.flows.subflows.size} sub-flow(s), ${config.flows.prompts.ids().length} prompts, ` +
        `4 rule sets (${ruleCount} rules), ${r.templates.size} SMS templates, ${config.customers.size} customers; config version ${config.version}\n`,
    );
  });
}
