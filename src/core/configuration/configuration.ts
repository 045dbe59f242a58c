import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../config/package-root.js';
import { loadCustomers } from '../customers/customers-file.js';
import type { CustomerDirectory } from '../customers/customer-directory.js';
import { loadFlows, type LoadedFlows } from '../flows/flow-loader.js';
import { loadRules, type LoadedRules, type RouteParams, type SegmentParams } from '../rules/rule-files.js';
import { ConfigError, IssueCollector, pointer, type ConfigIssue } from '../config/config-error.js';
import { RecordingSource, type ConfigSource } from '../config/config-source.js';

export { PACKAGE_ROOT } from '../config/package-root.js';

export interface ConfigPaths {
  flowsDir: string;
  rulesDir: string;
  customersFile: string;
}

export function defaultPaths(): ConfigPaths {
  return {
    flowsDir: join(PACKAGE_ROOT, 'flows'),
    rulesDir: join(PACKAGE_ROOT, 'rules'),
    customersFile: join(PACKAGE_ROOT, 'data', 'customers.json'),
  };
}

/** Everything a call is decided with. Immutable once loaded; a reload builds a new one. */
export interface Configuration {
  paths: ConfigPaths;
  flows: LoadedFlows;
  rules: LoadedRules;
  customers: CustomerDirectory;
  /** Content hash of flows and rules: every decision carries it. */
  version: string;
  warnings: IssueCollector['issues'];
  /**
   * The text of every file it was built from, by path (the flow editor's drafts overlay their
   * edits on these). Absent when built from a source that does not keep them.
   */
  sources?: ReadonlyMap<string, string>;
}

export interface LoadOptions {
  /** Queue ids of the staffing file, when one is in play: routes must name one of them. */
  queues?: ReadonlySet<string>;
  /** Where the files are read: the disk by default (whose texts the configuration keeps as `sources`). */
  source?: ConfigSource;
}

/**
 * Loads flows, rules and customers and checks them against each other. Collects the issues of
 * every file before failing, and never returns a half-loaded configuration.
 */
export function loadConfiguration(paths: ConfigPaths = defaultPaths(), opts: LoadOptions = {}): Configuration {
  const issues = new IssueCollector();
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (err instanceof ConfigError) return undefined; // its issues are already in `issues`
      throw err;
    }
  };
  const recording = opts.source ? undefined : new RecordingSource();
  const source = opts.source ?? recording!;
  const flows = attempt(() => loadFlows(paths.flowsDir, issues, source));
  const rules = attempt(() => loadRules(paths.rulesDir, issues, source));
  const customers = attempt(() => loadCustomers(paths.customersFile, issues, source));
  if (flows && rules) crossCheck(flows, rules, issues, opts);
  issues.throwIfErrors();
  return {
    paths,
    flows: flows!,
    rules: rules!,
    customers: customers!,
    version: createHash('sha256').update(flows!.hash + rules!.hash).digest('hex').slice(0, 12),
    warnings: issues.issues.filter((i) => i.severity === 'warning'),
    ...(recording ? { sources: recording.texts } : {}),
  };
}

function crossCheck(flows: LoadedFlows, rules: LoadedRules, issues: IssueCollector, opts: LoadOptions): void {
  const segFile = rules.segments.file;
  const named = new Map<string, string>();
  named.set(rules.segmentDefault.segment, pointer('default', 'segment'));
  rules.segments.doc.rules.forEach((r, i) => {
    const seg = (r.event.params as unknown as SegmentParams).segment;
    if (!named.has(seg)) named.set(seg, pointer('rules', i, 'event', 'params', 'segment'));
  });
  for (const [seg, at] of named) {
    if (!flows.bySegment.has(seg)) {
      issues.error(segFile, at, `segment "${seg}" has no flow; add ${join(flows.dir, `${seg}.json`)} with meta.segment "${seg}"`);
    }
  }
  for (const f of flows.flows.values()) {
    if (!named.has(f.segment)) issues.warning(f.file, pointer('meta', 'segment'), `no segmentation rule produces segment "${f.segment}", so no caller reaches this flow`);
  }
  if (opts.queues) checkRoutedQueues(rules, opts.queues, issues);
}

/**
 * Errors for every route and overflow step that names a queue outside `queues` (the staffing
 * file's). Loading checks this when given the queues; a replay asks it on its own, because a
 * trace of ACD-level lines never goes through the routing rules and needs only its own queues.
 */
export function routedQueueIssues(config: Pick<Configuration, 'rules'>, queues: ReadonlySet<string>): ConfigIssue[] {
  const issues = new IssueCollector();
  checkRoutedQueues(config.rules, queues, issues);
  return issues.issues;
}

function checkRoutedQueues(rules: LoadedRules, queues: ReadonlySet<string>, issues: IssueCollector): void {
  const check = (route: RouteParams, base: string) => {
    if (!queues.has(route.queue)) issues.error(rules.routing.file, base + pointer('queue'), `queue "${route.queue}" is not in the staffing file; queues: ${[...queues].join(', ')}`);
    (route.overflow ?? []).forEach((s, j) => {
      if (!queues.has(s.queue)) issues.error(rules.routing.file, base + pointer('overflow', j, 'queue'), `queue "${s.queue}" is not in the staffing file; queues: ${[...queues].join(', ')}`);
    });
  };
  check(rules.routeDefault, pointer('default'));
  rules.routing.doc.rules.forEach((r, i) => check(r.event.params as unknown as RouteParams, pointer('rules', i, 'event', 'params')));
}
