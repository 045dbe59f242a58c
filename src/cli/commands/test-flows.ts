import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfiguration } from '../../core/configuration/configuration.js';
import { ChecksFailedError } from '../../core/designer/checks-failed.js';
import type { CoverageReport } from '../../core/designer/flow-coverage.js';
import { transitionLabel } from '../../core/designer/flow-labels.js';
import { loadFlowTests } from '../../core/designer/flow-test-file.js';
import { runFlowTests, type ScenarioResult } from '../../core/designer/flow-test-run.js';
import type { TransitionRef } from '../../core/flows/flow-tree.js';
import { asArray } from '../../core/flows/flow-types.js';
import type { CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';

interface TestFlowsFlags extends ConfigFlags {
  dir?: string;
  json?: boolean;
}

export function registerTestFlowsCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('test-flows')
      .description('run the designer-written call scenarios in flows/tests/*.json; report failures with a diff, then what of each flow no scenario touched')
      .option('--dir <dir>', 'scenario directory (default: tests/ in the flows directory)')
      .option('--json', 'print results and coverage as JSON'),
  ).action((flags: TestFlowsFlags) => {
    const paths = configPaths(flags);
    const dir = flags.dir ? resolve(flags.dir) : join(paths.flowsDir, 'tests');
    const config = loadConfiguration(paths);
    const run = runFlowTests(config, loadFlowTests(dir, config));
    const failed = run.results.filter((r) => !r.passed);
    if (flags.json) io.out(JSON.stringify(toJson(run.results, run.coverage), null, 2) + '\n');
    else io.out(formatResults(run.results) + '\n' + formatCoverage(run.coverage));
    if (failed.length) throw new ChecksFailedError(`${failed.length} of ${run.results.length} scenarios failed`);
  });
}

const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : JSON.stringify(v));

export function formatResults(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  let file = '';
  for (const r of results) {
    if (r.scenario.file !== file) {
      file = r.scenario.file;
      lines.push(basename(file));
    }
    lines.push(`  ${r.passed ? '✓' : '✗'} ${r.scenario.name}`);
    if (r.passed) continue;
    lines.push(`      at ${r.scenario.file} ${r.scenario.pointer}`);
    const width = Math.max(...r.failures.map((f) => f.field.length));
    for (const f of r.failures) {
      const pad = ' '.repeat(width - f.field.length);
      lines.push(`      ${f.field}${pad}  expected ${show(f.expected)}`);
      lines.push(`      ${' '.repeat(width)}  actual   ${show(f.actual)}${f.detail ? `   (${f.detail})` : ''}`);
    }
    const who = r.scenario.input.caller ? `--caller ${r.scenario.input.caller}` : '--profile <the scenario profile>';
    lines.push(`      call: ${r.route.join(' → ') || '(did not run)'}`);
    lines.push(`      try:  ivr-sim call ${who} --keys '${r.scenario.keysText}'`);
  }
  const failed = results.filter((r) => !r.passed).length;
  lines.push('', `${results.length} scenarios: ${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n') + '\n';
}

const pct = (n: number, total: number) => (total ? `${Math.round((n / total) * 100)}%` : '—');

/** A state path as written in its file: `/states/menu/states/repeat` → `menu.repeat`. */
function writtenPath(ptr: string): string {
  return ptr
    .split('/on/')[0]!
    .split('/')
    .filter((p, i, all) => p !== '' && !(p === 'states' && all[i - 1] !== 'states'))
    .join('.');
}

/** `symptom —other key [retries < 2] / retry→ symptom`, with the source as its file names it. */
export function describeTransition(t: TransitionRef, origin: { pointer: string }): string {
  const targets = asArray(t.transition.target);
  const source = writtenPath(origin.pointer.replace(/\/(on|always|onDone)(\/.*)?$/, '')) || t.source.path;
  // Hot keys target `#flow.state`; show the state as the flow file names it.
  const shown = targets.map((x) => x.replace(/^#[^.]+\./, ''));
  return `${source} —${transitionLabel(t) || 'at once'}→ ${shown.length ? shown.join(', ') : '(stays)'}`;
}

export function formatCoverage(coverage: readonly CoverageReport[]): string {
  const lines = ['Coverage: the states and transitions the scenarios touched'];
  const width = Math.max(...coverage.map((c) => c.name.length));
  for (const c of coverage) {
    const where = c.kind === 'subflow' ? `${c.file} (sub-flow, over ${c.flows.length} flows)` : c.file;
    lines.push(
      `  ${c.name.padEnd(width)}  states ${c.states.covered}/${c.states.total} (${pct(c.states.covered, c.states.total)})   ` +
        `transitions ${c.transitions.covered}/${c.transitions.total} (${pct(c.transitions.covered, c.transitions.total)})   ${where}`,
    );
    for (const s of c.states.uncovered) lines.push(`      state not visited: ${writtenPath(s.origin.pointer) || s.item.path}   (at ${s.origin.pointer})`);
    for (const t of c.transitions.uncovered) lines.push(`      transition not taken: ${describeTransition(t.item, t.origin)}   (at ${t.origin.pointer})`);
  }
  return lines.join('\n') + '\n';
}

function toJson(results: readonly ScenarioResult[], coverage: readonly CoverageReport[]) {
  return {
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    scenarios: results.map((r) => ({
      file: r.scenario.file,
      pointer: r.scenario.pointer,
      name: r.scenario.name,
      passed: r.passed,
      failures: r.failures,
      route: r.route,
      keys: r.scenario.keysText,
    })),
    coverage: coverage.map((c) => ({
      name: c.name,
      kind: c.kind,
      file: c.file,
      flows: c.flows,
      states: { total: c.states.total, covered: c.states.covered, uncovered: c.states.uncovered.map((s) => ({ state: writtenPath(s.origin.pointer), at: s.origin.pointer })) },
      transitions: {
        total: c.transitions.total,
        covered: c.transitions.covered,
        uncovered: c.transitions.uncovered.map((t) => ({ transition: describeTransition(t.item, t.origin), event: t.item.event, at: t.origin.pointer })),
      },
    })),
  };
}
