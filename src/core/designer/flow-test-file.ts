import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IssueCollector, pointer } from '../config/config-error.js';
import type { Configuration } from '../configuration/configuration.js';
import { loadDocument } from '../config/document.js';
import { validateAgainstSchema } from '../config/schema-validator.js';
import type { CallInput } from '../decision/call-decider.js';
import type { IvrOutcome } from '../flows/ivr-result.js';
import type { KeyPress } from '../flows/key-presses.js';
import { formatKeys, KeySyntaxError, parseKeys } from '../flows/key-presses.js';
import type { CustomerProfile, Language } from '../profile/customer-profile.js';

/** What a scenario expects of the decision; only the fields given are checked. */
export interface FlowTestExpect {
  segment?: string;
  outcome?: IvrOutcome;
  queue?: string | null;
  priority?: number | null;
  tags?: string[];
  tagsInclude?: string[];
  sms?: string[];
  intent?: string | null;
  hotKey?: string | null;
  escalation?: string | null;
  diagnosis?: { result?: string | null; symptom?: string | null } | null;
  visits?: string[];
}

/** A scenario as written in a file (schemas/flow-test.schema.json). */
interface ScenarioDoc {
  name: string;
  caller?: string;
  profile?: Partial<CustomerProfile>;
  keys: string | Array<string | { key: string; afterSec?: number }>;
  language?: Language;
  hangupAfterSec?: number;
  expect: FlowTestExpect;
}

/** A checked scenario, ready to run. */
export interface FlowTestScenario {
  file: string;
  /** JSON pointer of the scenario in its file, e.g. `/scenarios/3`. */
  pointer: string;
  name: string;
  input: CallInput;
  /** The keys in `--keys` shorthand, to try the call by hand. */
  keysText: string;
  expect: FlowTestExpect;
}

/** Number given to an inline profile without one (it is never looked up). */
const INLINE_PHONE = '+8613900000000';

/**
 * Reads every scenario file in `dir` and checks it against its schema and the configuration it
 * will run with (segments, tag keys, SMS templates and state names it mentions must exist).
 * Throws ConfigError listing every problem; never returns part of a broken set.
 */
export function loadFlowTests(dir: string, config: Configuration, issues = new IssueCollector()): FlowTestScenario[] {
  const files = existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  if (files.length === 0) issues.error(dir, '', 'no scenario files (*.json) here; write one per flow, see schemas/flow-test.schema.json');
  const out: FlowTestScenario[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const doc = loadDocument<{ scenarios: ScenarioDoc[] }>('flow-test', file, issues);
    if (doc === undefined) continue;
    const names = new Map<string, number>();
    doc.scenarios.forEach((s, i) => {
      const at = pointer('scenarios', i);
      const prev = names.get(s.name);
      if (prev !== undefined) issues.error(file, at + pointer('name'), `scenario name "${s.name}" is already used by /scenarios/${prev}`);
      else names.set(s.name, i);
      const scenario = checkScenario(s, file, at, config, issues);
      if (scenario) out.push(scenario);
    });
  }
  issues.throwIfErrors();
  return out;
}

function checkScenario(s: ScenarioDoc, file: string, at: string, config: Configuration, issues: IssueCollector): FlowTestScenario | undefined {
  const before = issues.issues.length;
  if ((s.caller === undefined) === (s.profile === undefined)) {
    issues.error(file, at, s.caller === undefined ? 'a scenario needs "caller" (a number in the customers file) or "profile" (an inline profile)' : 'give "caller" or "profile", not both');
  }
  let profile: CustomerProfile | undefined;
  if (s.profile !== undefined) {
    profile = { phone: INLINE_PHONE, ...s.profile } as CustomerProfile;
    // The customers schema says what a profile field may hold; report at the scenario's path.
    const inner = new IssueCollector();
    if (!validateAgainstSchema('customers', { customers: [profile] }, file, inner)) {
      for (const i of inner.issues) issues.error(file, at + pointer('profile') + i.path.replace(/^\/customers\/0/, ''), i.message.replace('(schema customers)', '(a customer profile)'));
    }
  }
  const keys = parseScenarioKeys(s.keys, file, at + pointer('keys'), issues);
  checkExpect(s.expect, file, at + pointer('expect'), config, issues);
  if (issues.issues.length > before || !keys) return undefined;
  const input: CallInput = { callId: `test:${s.name}`, keys, transcript: true };
  if (s.caller !== undefined) input.caller = s.caller;
  if (profile) input.profile = profile;
  if (s.language) input.language = s.language;
  if (s.hangupAfterSec !== undefined) input.hangupInIvrSec = s.hangupAfterSec;
  return { file, pointer: at, name: s.name, input, keysText: formatKeys(keys), expect: s.expect };
}

function parseScenarioKeys(keys: ScenarioDoc['keys'], file: string, at: string, issues: IssueCollector): KeyPress[] | undefined {
  try {
    if (typeof keys === 'string') return parseKeys(keys);
    return keys.map((k, i) => {
      if (typeof k !== 'string') return k.afterSec === undefined ? { key: k.key } : { key: k.key, afterSec: k.afterSec };
      const one = parseKeys(k);
      if (one.length !== 1) throw new KeySyntaxError(`key ${i + 1} "${k}": one key per list item`);
      return one[0]!;
    });
  } catch (err) {
    if (!(err instanceof KeySyntaxError)) throw err;
    issues.error(file, at, err.message);
    return undefined;
  }
}

/** Names in an expectation must exist, or the scenario could only ever fail. */
function checkExpect(e: FlowTestExpect, file: string, at: string, config: Configuration, issues: IssueCollector): void {
  const segments = [...config.flows.bySegment.keys()];
  if (e.segment !== undefined && !config.flows.bySegment.has(e.segment)) {
    issues.error(file, at + pointer('segment'), `unknown segment "${e.segment}"; segments with a flow: ${segments.join(', ')}`);
  }
  const tagKeys = new Set(config.rules.popups.doc.rules.map((r) => String((r.event.params as { key?: unknown } | undefined)?.key)));
  for (const field of ['tags', 'tagsInclude'] as const) {
    (e[field] ?? []).forEach((k, i) => {
      if (!tagKeys.has(k)) issues.error(file, at + pointer(field, i), `no pop-up rule produces tag "${k}"; tag keys: ${[...tagKeys].join(', ')}`);
    });
  }
  (e.sms ?? []).forEach((t, i) => {
    if (!config.rules.templates.has(t)) issues.error(file, at + pointer('sms', i), `unknown SMS template "${t}"; templates: ${[...config.rules.templates.keys()].join(', ')}`);
  });
  const flows = e.segment !== undefined && config.flows.bySegment.has(e.segment) ? [config.flows.bySegment.get(e.segment)!] : [...config.flows.flows.values()];
  (e.visits ?? []).forEach((state, i) => {
    if (!flows.some((f) => f.tree.byPath.has(state) && state !== '')) {
      issues.error(file, at + pointer('visits', i), `no state "${state}" in ${flows.length === 1 ? `flow ${flows[0]!.id}` : 'any flow'}; write dotted paths such as diagnosis.symptom`);
    }
  });
}
