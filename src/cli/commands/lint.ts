import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatIssue, type ConfigIssue } from '../../core/config/config-error.js';
import { ChecksFailedError } from '../../core/designer/checks-failed.js';
import { DEFAULT_MAX_PROMPT_SEC, lintConfiguration } from '../../core/designer/lint.js';
import { staffingIssue, type LoadedStaffing } from '../../core/designer/queue-staffing-check.js';
import { StaffingFileError } from '../../core/staffing/staffing-file-error.js';
import { loadStaffingFile } from '../../core/staffing/staffing-file.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';
import { DEFAULT_STAFFING_FILE } from '../scenario-options.js';

interface LintFlags extends ConfigFlags {
  staffing?: string;
  maxPromptSec: string;
  json?: boolean;
}

export function registerLintCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('lint')
      .description(
        'everything validate reports, plus warnings: states no caller reaches or leaves, loops without a retry bound, ' +
          'hot keys shadowing menu keys, long prompts, rules that never fire for the sample customers, routes to unstaffed queues',
      ),
  )
    .option('--staffing <file>', `staffing file routes are checked against (default ${DEFAULT_STAFFING_FILE})`)
    .option('--max-prompt-sec <sec>', 'warn about prompts longer than this for a typical caller', String(DEFAULT_MAX_PROMPT_SEC))
    .option('--json', 'print the issues as JSON')
    .action(async (flags: LintFlags) => {
      const maxPromptSec = Number(flags.maxPromptSec);
      if (!(maxPromptSec > 0)) throw new UsageError(`--max-prompt-sec ${flags.maxPromptSec}: expected a number of seconds > 0`);
      const staffingFile = resolve(flags.staffing ?? DEFAULT_STAFFING_FILE);
      let staffing: LoadedStaffing | undefined;
      let staffingIssues: ConfigIssue[] = [];
      try {
        const loaded = await loadStaffingFile(staffingFile);
        staffing = { file: staffingFile, staffing: loaded.staffing };
        staffingIssues = loaded.warnings.map((w) => staffingIssue(w, 'warning'));
      } catch (err) {
        if (!(err instanceof StaffingFileError)) throw err;
        staffingIssues = err.issues.map((i) => staffingIssue(i, 'error'));
      }
      const issues = lintConfiguration(configPaths(flags), { maxPromptSec, staffingIssues, ...(staffing ? { staffing } : {}) });
      const errors = issues.filter((i) => i.severity === 'error').length;
      const warnings = issues.length - errors;
      if (flags.json) io.out(JSON.stringify({ errors, warnings, issues }, null, 2) + '\n');
      else {
        for (const i of issues) io.out(formatIssue(i) + '\n');
        io.out(`lint: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
      }
      if (errors > 0) throw new ChecksFailedError(`lint found ${errors} error${errors === 1 ? '' : 's'}`);
    });
}
