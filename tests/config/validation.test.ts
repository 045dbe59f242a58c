import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/core/config/config-error.js';
import { loadConfiguration } from '../../src/core/configuration/configuration.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';

let copy: ConfigCopy | undefined;
afterEach(() => copy?.remove());

/** Loads a broken copy and returns its errors; fails the test if it loads. */
function errorsOf(change: (c: ConfigCopy) => void): ConfigIssue[] {
  copy = copyConfig();
  change(copy);
  try {
    loadConfiguration(copy.paths);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.filter((i) => i.severity === 'error');
  }
  throw new Error('the broken configuration loaded');
}

const rel = (issue: ConfigIssue) => ({ ...issue, file: issue.file.slice(copy!.dir.length + 1) });

describe('flows are validated at load, with file, JSON path and what was expected', () => {
  it('the shipped flows, rules and customers are valid', () => {
    const config = loadConfiguration();
    expect(config.flows.flows.size).toBe(8);
    expect(config.warnings).toEqual([]);
  });

  it('schema error: a wrong type', () => {
    const errors = errorsOf((c) => c.edit('flows/standard.json', (f) => (f.states.menu.states.welcome.meta.input.timeoutSec = 'soon')));
    expect(errors.map(rel)).toContainEqual({
      file: 'flows/standard.json',
      path: '/states/menu/states/welcome/meta/input/timeoutSec',
      message: 'must be number (schema flow)',
      severity: 'error',
    });
  });

  it('unknown transition target', () => {
    const errors = errorsOf((c) => c.edit('flows/vip-gold.json', (f) => (f.states.menu.on['KEY.2'].target = 'billBalanse')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({
      file: 'flows/vip-gold.json',
      path: '/states/menu/on/KEY.2',
      message: 'unknown target "billBalanse" from state "menu"',
    }));
  });

  it('unreachable state', () => {
    const errors = errorsOf((c) => c.edit('flows/campus.json', (f) => (f.states.lostAndFound = { entry: [{ type: 'say', params: { prompt: 'common.goodbye' } }], on: { PROMPT_END: 'handoff' } })));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ file: 'flows/campus.json', path: '/states/lostAndFound', message: 'state "lostAndFound" is unreachable: no transition leads to it' }));
  });

  it('a state with no way out', () => {
    const errors = errorsOf((c) => c.edit('flows/4g.json', (f) => delete f.states.offers.on));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({
      file: 'flows/4g.json',
      path: '/states/offers',
      message: expect.stringContaining('state "offers" has no way out'),
    }));
  });

  it('an input state without an invalid-input path', () => {
    const errors = errorsOf((c) => c.edit('flows/4g.json', (f) => delete f.states.anythingElse.on['KEY.*']));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ path: '/states/anythingElse/on', message: expect.stringContaining('no KEY.* transition') }));
  });

  it('hot-key collision', () => {
    const errors = errorsOf((c) => c.edit('flows/vip-diamond.json', (f) => f.meta.hotKeys.push({ key: '1', target: 'billBalance', intent: 'bill' })));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({
      file: 'flows/vip-diamond.json',
      path: '/meta/hotKeys/3/key',
      message: 'hot-key collision: key "1" is already the hot key at /meta/hotKeys/1',
    }));
  });

  it('unknown prompt id', () => {
    const errors = errorsOf((c) => c.edit('flows/standard.json', (f) => (f.states.billBalance.entry[0].params.prompt = 'info.balanse')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ path: '/states/billBalance/entry/0', message: 'unknown prompt id "info.balanse"; add it to flows/prompts.json' }));
  });

  it('a sub-flow problem is reported once, in the sub-flow file', () => {
    const errors = errorsOf((c) => c.edit('flows/shared/self-diagnosis.json', (f) => (f.states.symptom.on['KEY.1'].target = 'noSignalRestrat')));
    const hits = errors.map(rel).filter((e) => e.message.includes('noSignalRestrat'));
    expect(hits).toEqual([expect.objectContaining({ file: 'flows/shared/self-diagnosis.json', path: '/states/symptom/on/KEY.1' })]);
  });

  it('a prompt using an unknown fact', () => {
    const errors = errorsOf((c) => c.edit('flows/prompts.json', (f) => (f.prompts['info.balance'].text['en-US'] = 'You owe {debt} yuan.')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ file: 'flows/prompts.json', path: '/prompts/info.balance/text', message: expect.stringContaining('unknown variable {debt}') }));
  });

  it('a file that is not JSON', () => {
    const errors = errorsOf((c) => c.write('flows/campus.json', '{ "id": "campus", '));
    expect(errors.map(rel)[0]).toMatchObject({ file: 'flows/campus.json', path: '', message: expect.stringContaining('not valid JSON') });
  });
});

describe('rules are validated at load', () => {
  it('unknown fact name', () => {
    const errors = errorsOf((c) => c.edit('rules/popups.json', (f) => (f.rules[0].conditions.all[0].fact = 'netwrok')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ file: 'rules/popups.json', path: '/rules/0/conditions', message: expect.stringContaining('unknown fact "netwrok"') }));
  });

  it('unknown operator', () => {
    const errors = errorsOf((c) => c.edit('rules/routing.json', (f) => (f.rules[1].conditions.all[0].operator = 'isOneOf')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ file: 'rules/routing.json', path: '/rules/1/conditions/all/0/operator', message: expect.stringMatching(/^unknown operator "isOneOf"; expected one of: equal, notEqual, in, notIn, contains, doesNotContain, lessThan, .*greaterThanInclusive.* prefixed with someFact:, someValue:, everyFact:, everyValue:, swap:, not:/) }));
  });

  it('segmentation may not use facts only known at hand-off', () => {
    const errors = errorsOf((c) => c.edit('rules/segments.json', (f) => (f.rules[0].conditions.all[0].fact = 'intent')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ path: '/rules/0/conditions', message: expect.stringContaining('only known at hand-off') }));
  });

  it('a segment without a flow', () => {
    const errors = errorsOf((c) => c.edit('rules/segments.json', (f) => (f.rules[0].event.params.segment = 'vip-platinum')));
    expect(errors.map(rel)).toContainEqual(expect.objectContaining({ file: 'rules/segments.json', path: '/rules/0/event/params/segment', message: expect.stringContaining('segment "vip-platinum" has no flow') }));
  });

  it('an SMS rule naming an unknown template, and overflow steps out of order', () => {
    const errors = errorsOf((c) => {
      c.edit('rules/sms.json', (f) => (f.rules[0].event.params.template = 'data-usage'));
      c.edit('rules/routing.json', (f) => (f.rules[0].event.params.overflow[1].afterSec = 10));
    });
    const paths = errors.map((e) => rel(e).file + rel(e).path);
    expect(paths).toContain('rules/sms.json/rules/0/event/params/template');
    expect(paths).toContain('rules/routing.json/rules/0/event/params/overflow/1/afterSec');
  });
});

describe('a bad configuration is reported whole and never half-loaded', () => {
  it('lists every error of every file at once', () => {
    const errors = errorsOf((c) => {
      c.edit('flows/vip-gold.json', (f) => (f.states.menu.on['KEY.2'].target = 'nowhere'));
      c.edit('flows/vip-gold.json', (f) => (f.states.billBalance.entry[0].params.prompt = 'nope'));
      c.edit('rules/popups.json', (f) => (f.rules[0].conditions.all[0].fact = 'netwrok'));
    });
    const files = new Set(errors.map((e) => rel(e).file));
    expect(files).toEqual(new Set(['flows/vip-gold.json', 'rules/popups.json']));
    expect(errors.length).toBeGreaterThanOrEqual(3);
  });

  it('files survive a load/save round trip unchanged', () => {
    copy = copyConfig();
    const before = loadConfiguration(copy.paths);
    for (const f of ['flows/vip-diamond.json', 'flows/shared/self-diagnosis.json', 'rules/routing.json', 'rules/sms.json']) copy.edit(f, () => {});
    expect(loadConfiguration(copy.paths).version).toBe(before.version);
  });
});
