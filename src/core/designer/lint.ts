import { ConfigError, IssueCollector, type ConfigIssue } from '../config/config-error.js';
import { loadConfiguration, type ConfigPaths, type Configuration } from '../configuration/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import type { KeyPress } from '../flows/key-presses.js';
import { exploreFlow } from './flow-exploration.js';
import { checkHotKeyShadowing } from './hot-key-check.js';
import { checkUnboundedLoops } from './loop-check.js';
import { checkPromptLengths } from './prompt-length-check.js';
import { checkQueuesStaffed, type LoadedStaffing } from './queue-staffing-check.js';
import { checkReachability } from './reachability-check.js';
import { representativeKeys } from './representative-calls.js';
import { checkRulesFire } from './rule-coverage-check.js';
import { sampleCallers } from './sample-callers.js';

export interface LintOptions {
  /** Prompts longer than this, for a typical caller, are reported. */
  maxPromptSec?: number;
  /** The staffing file routes are checked against; omit to skip the staffing checks. */
  staffing?: LoadedStaffing;
  /** Problems found reading the staffing file (it is checked by its own loader). */
  staffingIssues?: ConfigIssue[];
}

export const DEFAULT_MAX_PROMPT_SEC = 20;

/**
 * Everything `validate` reports, then what a valid configuration can still get wrong: states no
 * caller reaches or cannot leave once guards are taken into account, loops a silent caller never
 * leaves, hot keys that clash with menu keys, prompts too long to listen to, rules that never
 * fire for the sample customers, and routes to queues nobody staffs. Errors first stop the
 * checks that need a loaded configuration.
 */
export function lintConfiguration(paths: ConfigPaths, opts: LintOptions = {}): ConfigIssue[] {
  const staffingIssues = opts.staffingIssues ?? [];
  let config: Configuration;
  try {
    config = loadConfiguration(paths, opts.staffing ? { queues: new Set(opts.staffing.staffing.queues.map((q) => q.id)) } : {});
  } catch (err) {
    if (err instanceof ConfigError) return [...staffingIssues, ...err.issues];
    throw err;
  }
  return [...staffingIssues, ...lintLoaded(config, opts)];
}

/** The checks beyond validation, on a configuration that loaded (its warnings included). */
export function lintLoaded(config: Configuration, opts: LintOptions = {}): ConfigIssue[] {
  const issues = new IssueCollector();
  issues.issues.push(...config.warnings);
  const decider = new CallDecider(config);
  const callers = sampleCallers(config, decider);
  const callsBySegment = new Map<string, KeyPress[][]>();
  for (const flow of config.flows.flows.values()) {
    const exploration = exploreFlow(flow);
    checkReachability(exploration, issues);
    checkUnboundedLoops(flow, issues);
    checkHotKeyShadowing(flow, issues);
    callsBySegment.set(flow.segment, representativeKeys(exploration));
  }
  checkPromptLengths(config, callers, opts.maxPromptSec ?? DEFAULT_MAX_PROMPT_SEC, issues);
  checkRulesFire(config, decider, callers, callsBySegment, issues);
  if (opts.staffing) checkQueuesStaffed(config.rules, opts.staffing, issues);
  return unique(issues.issues);
}

/** A shared sub-flow is inlined in every flow: a problem in it is found once per flow, reported once. */
function unique(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.severity}|${i.file}|${i.path}|${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
