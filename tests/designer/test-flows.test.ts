import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventsOfTranscript } from '../../src/core/designer/call-events.js';
import { FlowCoverage, refKey } from '../../src/core/designer/flow-coverage.js';
import { visitedStates } from '../../src/core/flows/flow-paths.js';
import { parseKeys } from '../../src/core/flows/key-presses.js';
import { profileFor, shippedConfig, shippedDecider } from '../helpers/shipped.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { cli } from './designer-cli.js';

const config = shippedConfig();
let copy: ConfigCopy | undefined;
afterEach(() => {
  copy?.remove();
  copy = undefined;
});
const configFlags = (c: ConfigCopy) => ['--flows', c.paths.flowsDir, '--rules', c.paths.rulesDir, '--customers', c.paths.customersFile];

describe('ivr-sim test-flows on the shipped scenarios', () => {
  it('passes every scenario of every segment flow and touches every state and transition', async () => {
    const r = await cli('test-flows');
    expect(r.code, r.out).toBe(0);
    const files = readdirSync(join(config.flows.dir, 'tests')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual([...config.flows.bySegment.keys()].map((s) => `${s}.json`).sort());
    expect(r.out).toMatch(/^(\d+) scenarios: \1 passed, 0 failed$/m);
    for (const flow of config.flows.flows.values()) {
      expect(r.out).toMatch(new RegExp(`^ {2}${flow.id} +states (\\d+)/\\1 \\(100%\\) +transitions (\\d+)/\\2 \\(100%\\) +${flow.file}$`, 'm'));
    }
    expect(r.out).toMatch(/^ {2}self-diagnosis +states 13\/13 \(100%\) +transitions (\d+)\/\1 \(100%\) +\S+\/shared\/self-diagnosis\.json \(sub-flow, over 8 flows\)$/m);
    expect(r.out).not.toContain('not visited');
    expect(r.out).not.toContain('not taken');
  });
});

describe('ivr-sim test-flows with a wrong expectation', () => {
  it('fails with exit 1 and a readable diff: each field expected and actual, where the scenario is, the route, and the call to try', async () => {
    copy = copyConfig();
    let index = -1;
    copy.edit('flows/tests/vip-gold.json', (doc) => {
      index = doc.scenarios.findIndex((s: { keys: string }) => s.keys === '3,2,2,2');
      doc.scenarios[index].expect.queue = 'tech';
      doc.scenarios[index].expect.tags = ['diagnosis', 'loyal-vip'];
    });
    const r = await cli('test-flows', ...configFlags(copy));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ivr-sim: 1 of \d+ scenarios failed$/m);
    const lines = r.out.split('\n');
    const at = lines.indexOf('  ✗ self-diagnosis: slow data, not fixed after every guided step');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 8)).toEqual([
      `      at ${copy.paths.flowsDir}/tests/vip-gold.json /scenarios/${index}`,
      '      queue  expected "tech"',
      '             actual   "vip"',
      '      tags   expected [diagnosis, loyal-vip]',
      '             actual   [diagnosis]   (missing loyal-vip)',
      '      call: menu.welcome → diagnosis.outageCheck → diagnosis.symptom → diagnosis.slowDataSwitch → diagnosis.slowDataRestart → diagnosis.notFixed → agent → handoff',
      "      try:  ivr-sim call --profile <the scenario profile> --keys '3,2,2,2'",
    ]);
  });

  it('--json reports each failure with field, expected and actual', async () => {
    copy = copyConfig();
    copy.edit('flows/tests/standard.json', (doc) => (doc.scenarios[0].expect.hotKey = '9'));
    const r = await cli('test-flows', ...configFlags(copy), '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { failed: number; scenarios: { passed: boolean; failures: unknown[] }[] };
    expect(doc.failed).toBe(1);
    expect(doc.scenarios.find((s) => !s.passed)?.failures).toEqual([{ field: 'hotKey', expected: '9', actual: '1' }]);
  });
});

describe('ivr-sim test-flows coverage', () => {
  it('lists, per flow and per shared sub-flow, the states no scenario visited and the transitions none took, with where they are written', async () => {
    copy = copyConfig();
    const dir = join(copy.dir, 'few-tests');
    mkdirSync(dir);
    copy.write(
      'few-tests/standard.json',
      JSON.stringify({
        scenarios: [
          { name: 'remaining data, then goodbye', profile: {}, keys: '1,9', expect: { segment: 'standard', outcome: 'selfServed' } },
          { name: 'a fixed fault', profile: {}, keys: '3,1,1', expect: { diagnosis: { result: 'fixed', symptom: 'noSignal' } } },
          { name: 'hangs up during the greeting', profile: {}, keys: '', hangupAfterSec: 2, expect: { outcome: 'hangup', queue: null, sms: [] } },
        ],
      }),
    );
    const r = await cli('test-flows', ...configFlags(copy), '--dir', dir);
    expect(r.code).toBe(0);
    const out = r.out;
    expect(out).toContain('3 scenarios: 3 passed, 0 failed');
    expect(out).toMatch(/^ {2}standard +states 4\/9 \(44%\) +transitions 5\/23 \(22%\)/m);
    expect(out).toContain('      state not visited: menu.repeat   (at /states/menu/states/repeat)');
    expect(out).toContain('      transition not taken: anythingElse —0→ agent   (at /states/anythingElse/on/KEY.0)');
    expect(out).toContain('      transition not taken: menu —other key [retries < 2] / retry→ menu.repeat   (at /states/menu/on/KEY.*/0)');
    // The sub-flow is listed once, by its own file's names.
    expect(out).toMatch(/^ {2}self-diagnosis +states \d+\/13/m);
    expect(out).toContain('      state not visited: outageNotice   (at /states/outageNotice)');
    expect(out).toContain('      transition not taken: symptom —2→ slowDataSwitch   (at /states/symptom/on/KEY.2)');
    // Flows no scenario called at all show nothing touched.
    expect(out).toMatch(/^ {2}vip-gold +states 0\/9 \(0%\) +transitions 0\/25 \(0%\)/m);
  });

  it('sees what XState inspection sees: passed-through states and the eventless and onDone transitions', () => {
    const flow = config.flows.bySegment.get('standard')!;
    const d = shippedDecider().decide({ callId: 'cov', profile: profileFor('standard'), keys: parseKeys('3,1,1'), transcript: true });
    const events = eventsOfTranscript(d.transcript!);
    expect(events).toEqual(['KEY.3', 'KEY.1', 'KEY.1']);
    const coverage = new FlowCoverage([flow]);
    const facts = shippedDecider().profileOf({ callId: 'cov', profile: profileFor('standard'), keys: [] }).facts;
    const route = coverage.record(flow, facts, events);
    expect(route).toEqual(visitedStates(flow, facts, events));
    expect(route).toEqual(['menu.welcome', 'diagnosis.outageCheck', 'diagnosis.symptom', 'diagnosis.noSignalRestart', 'diagnosis.fixed', 'selfServed']);
    const [own, sub] = coverage.report();
    const untaken = new Set([...own!.transitions.uncovered, ...sub!.transitions.uncovered].map((u) => refKey(u.item)));
    for (const taken of ['|on:KEY.3|0', 'diagnosis.outageCheck|always|1', 'diagnosis.symptom|on:KEY.1|0', 'diagnosis.noSignalRestart|on:KEY.1|0', 'diagnosis|onDone|0']) {
      const key = taken.startsWith('|') ? `menu${taken}` : taken;
      expect(untaken.has(key), key).toBe(false);
    }
    expect(untaken.has('diagnosis.outageCheck|always|0')).toBe(true);
  });
});

describe('scenario files are checked before anything runs', () => {
  it('reports every problem with file, JSON path and what was expected, and exits 1', async () => {
    copy = copyConfig();
    const dir = join(copy.dir, 'bad-tests');
    mkdirSync(dir);
    copy.write(
      'bad-tests/broken.json',
      JSON.stringify({
        scenarios: [
          { name: 'bad keys', profile: {}, keys: '1,x', expect: { outcome: 'selfServed', tags: ['no-such-tag'] } },
          { name: 'nobody calls', keys: '1', expect: { outcome: 'selfServed' } },
          { name: 'odd profile', profile: { vipLevel: 'platinum' }, keys: '1', expect: { outcome: 'later', sms: ['no-such-sms'] } },
          { name: 'bad keys', caller: '+8613800000001', keys: ['1'], expect: { visits: ['menu.nowhere'] }, extra: true },
        ],
      }),
    );
    const r = await cli('test-flows', ...configFlags(copy), '--dir', dir);
    expect(r.code).toBe(1);
    const file = join(dir, 'broken.json');
    expect(r.err).toContain(`error: ${file} at /scenarios/3: unknown property "extra" (schema flow-test)`);
    expect(r.err).toContain(`error: ${file} at /scenarios/2/expect/outcome: must be one of "selfServed", "handoff", "hangup" (schema flow-test)`);
    expect(r.out).toBe('');

    // Once the schema is satisfied, the names a scenario uses are checked against the configuration.
    copy.edit('bad-tests/broken.json', (doc) => {
      delete doc.scenarios[3].extra;
      doc.scenarios[2].expect.outcome = 'handoff';
    });
    const again = await cli('test-flows', ...configFlags(copy), '--dir', dir);
    expect(again.code).toBe(1);
    expect(again.err).toContain(`error: ${file} at /scenarios/0/keys: key 2 "x": expected a DTMF key (0-9, *, #), optionally followed by @seconds`);
    expect(again.err).toContain(`error: ${file} at /scenarios/0/expect/tags/0: no pop-up rule produces tag "no-such-tag"`);
    expect(again.err).toContain(`error: ${file} at /scenarios/1: a scenario needs "caller" (a number in the customers file) or "profile" (an inline profile)`);
    expect(again.err).toContain(`error: ${file} at /scenarios/2/profile/vipLevel: must be one of "diamond", "gold", "silver", "card", "none" (a customer profile)`);
    expect(again.err).toContain(`error: ${file} at /scenarios/2/expect/sms/0: unknown SMS template "no-such-sms"`);
    expect(again.err).toContain(`error: ${file} at /scenarios/3/name: scenario name "bad keys" is already used by /scenarios/0`);
    expect(again.err).toContain(`error: ${file} at /scenarios/3/expect/visits/0: no state "menu.nowhere" in any flow`);
  });

  it('a directory without scenario files is an error', async () => {
    copy = copyConfig();
    rmSync(join(copy.paths.flowsDir, 'tests'), { recursive: true });
    const r = await cli('test-flows', ...configFlags(copy));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${copy.paths.flowsDir}/tests: no scenario files (*.json) here`);
  });
});
