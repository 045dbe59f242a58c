import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../../src/core/config/config-error.js';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { cli } from './designer-cli.js';

const say = (prompt: string) => ({ type: 'say', params: { prompt } });
const never = (counter: string) => ({ type: 'retriesBelow', params: { counter, max: 0 } });
const configFlags = (c: ConfigCopy) => ['--flows', c.paths.flowsDir, '--rules', c.paths.rulesDir, '--customers', c.paths.customersFile];

async function lintJson(...argv: string[]): Promise<{ code: number; issues: ConfigIssue[]; err: string }> {
  const r = await cli('lint', '--json', ...argv);
  return { code: r.code, issues: (JSON.parse(r.out) as { issues: ConfigIssue[] }).issues, err: r.err };
}

describe('ivr-sim lint on the shipped configuration', () => {
  it('reports no errors and no warnings: every state is reached and left, no rule is dead, every routed queue is staffed', async () => {
    const r = await cli('lint');
    expect(r.code).toBe(0);
    // Nothing remains to warn about: the exploration reaches every state of every flow and every
    // state can end; all retry loops are bounded; hot keys agree with the menu keys they share;
    // the longest prompt for a typical caller is under 20 s; each rule fires for some sample
    // customer on some call (and the first-by-priority ones decide for some); each queue a route
    // names has agents at some time of day.
    expect(r.out).toBe('lint: 0 errors, 0 warnings\n');
  });

  it('a lower prompt limit lists the prompts over it, with id, language and seconds', async () => {
    const { code, issues } = await lintJson('--max-prompt-sec', '10');
    expect(code).toBe(0);
    const menuVip = issues.find((i) => i.path === '/prompts/menu.vip/text/zh-CN');
    expect(menuVip).toMatchObject({ severity: 'warning', file: join(PACKAGE_ROOT, 'flows', 'prompts.json') });
    expect(menuVip!.message).toMatch(/^prompt "menu\.vip" \(zh-CN\) takes \d+\.\d s for a typical caller \(median over \d+ customers of vip-card, vip-diamond, vip-gold, vip-silver/);
  });
});

describe('ivr-sim lint on a broken copy', () => {
  let copy: ConfigCopy;
  let issues: ConfigIssue[];
  let code: number;
  let text: string;
  const flows = () => copy.paths.flowsDir;
  const rules = () => copy.paths.rulesDir;
  const ruleIndex: Record<string, number> = {};

  beforeAll(async () => {
    copy = copyConfig();
    copy.edit('flows/standard.json', (f) => {
      // A state only a guard that never passes leads to.
      f.states.survey = { entry: [say('info.offers.standard')], on: { PROMPT_END: 'anythingElse' } };
      f.states.menu.on['KEY.7'] = { target: 'survey', guard: never('survey') };
      // A prompt end whose only transition is guarded shut.
      f.states.offers.on.PROMPT_END = [{ target: 'anythingElse', guard: never('offersGate') }];
      // Silence repeats the menu forever.
      f.states.menu.on.NO_INPUT = { target: 'menu.repeat', reenter: true, actions: [say('common.no-input')] };
      // The greeting's own key 1 overrides hot key 1 (→ dataBalance).
      f.states.menu.states.welcome.on = { 'KEY.1': { target: '#standard.billBalance' } };
    });
    // Silence at the outage notice repeats it forever, in the sub-flow every flow inlines.
    copy.edit('flows/shared/self-diagnosis.json', (f) => (f.states.outageNotice.on.NO_INPUT = { target: 'outageNotice', reenter: true }));
    // Hot key 2 (→ billBalance) shadows the menu's key 2, sent elsewhere.
    copy.edit('flows/vip-gold.json', (f) => (f.states.menu.on['KEY.2'].target = 'offers'));
    copy.edit('flows/prompts.json', (p) => (p.prompts['greeting.standard'].text['zh-CN'] = '您好，欢迎致电客户服务热线。'.repeat(8)));
    const rule = (name: string, priority: number, conditions: object, event: object) => ({ name, priority, conditions, event });
    copy.edit('rules/segments.json', (d) => {
      d.rules.push(rule('platinum-vip', 110, { all: [{ fact: 'vipLevel', operator: 'equal', value: 'platinum' }] }, { type: 'segment', params: { segment: 'vip-diamond', priority: 100 } }));
      d.rules.push(rule('diamond-again', 5, { all: [{ fact: 'vipLevel', operator: 'equal', value: 'diamond' }] }, { type: 'segment', params: { segment: 'vip-diamond', priority: 100 } }));
      ruleIndex['platinum-vip'] = d.rules.length - 2;
      ruleIndex['diamond-again'] = d.rules.length - 1;
    });
    copy.edit('rules/routing.json', (d) => {
      d.rules.push(rule('gold-to-general', 10, { all: [{ fact: 'segment', operator: 'equal', value: 'vip-gold' }] }, { type: 'route', params: { queue: 'general' } }));
      ruleIndex['gold-to-general'] = d.rules.length - 1;
      const campus = d.rules.findIndex((r: { name: string }) => r.name === 'campus-desk');
      d.rules[campus].event.params.overflow[0].queue = 'callback';
      ruleIndex['campus-desk'] = campus;
    });
    copy.edit('rules/popups.json', (d) => {
      d.rules.push(rule('escalated-diagnosis', 10, { all: [{ fact: 'diagnosisResult', operator: 'equal', value: 'escalated' }] }, { type: 'tag', params: { key: 'never', text: { 'zh-CN': '从不' } } }));
      ruleIndex['escalated-diagnosis'] = d.rules.length - 1;
    });
    copy.edit('rules/sms.json', (d) => {
      d.rules.push(rule('survey-sms', 10, { all: [{ fact: 'intents', operator: 'contains', value: 'survey' }] }, { type: 'sms', params: { template: 'bill-summary' } }));
      ruleIndex['survey-sms'] = d.rules.length - 1;
    });
    // A queue nobody has a skill for, and campus agents who never log in.
    cpSync(join(PACKAGE_ROOT, 'data', 'staffing.json'), join(copy.dir, 'staffing.json'));
    copy.edit('staffing.json', (s) => {
      s.queues.push({ id: 'callback' });
      for (const g of s.groups) {
        if (g.id === 'campus-desk') {
          delete g.shifts;
          g.agents = 0;
        } else delete g.skills.campus;
      }
    });
    const argv = [...configFlags(copy), '--staffing', join(copy.dir, 'staffing.json')];
    const json = await lintJson(...argv);
    ({ code, issues } = json);
    text = (await cli('lint', ...argv)).out;
  }, 120_000);
  afterAll(() => copy.remove());

  const at = (file: string, path: string) => issues.filter((i) => i.file === file && i.path === path);

  it('still exits 0: warnings alone do not fail', () => {
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('prints each warning as "warning: file at /json/path: message", then a count', () => {
    expect(text).toContain(`warning: ${flows()}/standard.json at /states/survey: no caller reaches state "survey"`);
    expect(text.trimEnd().split('\n').pop()).toBe(`lint: 0 errors, ${issues.length} warnings`);
  });

  it('finds a state no caller reaches once guards are considered, and names the guarded way in', () => {
    const [w] = at(`${flows()}/standard.json`, '/states/survey');
    expect(w?.message).toBe(
      'no caller reaches state "survey": every way in is guarded so that no call takes it (from "menu" on 7 [retries < 0]) — checked with every key and timeout, and with each value of areaOutage its guards test',
    );
  });

  it('finds a state a call gets into but never out of, with the keys that get there', () => {
    const [w] = at(`${flows()}/standard.json`, '/states/offers');
    expect(w?.message).toMatch(/^a call can get stuck in state "offers" after keys 4: from there no key, timeout or prompt end ever leads to selfServed or handoff/);
  });

  it('finds a timeout loop without a retry bound, but not the anything-else loop that needs a key', () => {
    const [w] = at(`${flows()}/standard.json`, '/states/menu/on/NO_INPUT');
    expect(w?.message).toMatch(/^loop without a retry bound: with no key pressed, a call goes menu\.(welcome|repeat) —no input→ menu\.repeat/);
    expect(issues.filter((i) => i.file === `${flows()}/standard.json` && i.message.startsWith('loop without a retry bound'))).toHaveLength(1);
  });

  it('reports a problem in the shared sub-flow once, in the sub-flow file, though every flow inlines it', () => {
    const loops = issues.filter((i) => i.file === `${flows()}/shared/self-diagnosis.json`);
    expect(loops).toEqual([
      {
        severity: 'warning',
        file: `${flows()}/shared/self-diagnosis.json`,
        path: '/states/outageNotice/on/NO_INPUT',
        message:
          'loop without a retry bound: with no key pressed, a call goes diagnosis.outageNotice —no input→ diagnosis.outageNotice again and again, forever; ' +
          'guard a transition on the loop with retriesBelow (counting with countRetry) and send the call on when retries run out',
      },
    ]);
  });

  it('finds a prompt longer than the limit for a typical caller', () => {
    const [w] = at(`${flows()}/prompts.json`, '/prompts/greeting.standard/text/zh-CN');
    expect(w?.message).toMatch(/^prompt "greeting\.standard" \(zh-CN\) takes 2\d\.\d s for a typical caller \(median over \d+ customers of standard\), longer than 20 s/);
  });

  it("finds a state's own key that overrides a hot key, and a hot key that shadows a menu key", () => {
    expect(at(`${flows()}/standard.json`, '/states/menu/states/welcome/on/KEY.1')[0]?.message).toBe(
      'hot key 1 does not work in state "menu.welcome": its own key 1 goes to "billBalance", not to the hot key\'s "dataBalance"; callers who know the hot key land somewhere else here',
    );
    expect(at(`${flows()}/vip-gold.json`, '/states/menu/on/KEY.2')[0]?.message).toBe(
      'hot key 2 shadows menu key 2 of "menu" in state "menu.welcome": there the key goes to the hot key\'s "billBalance", not to "offers" as the menu says elsewhere',
    );
  });

  it('finds rules that never fire for any sample customer, and rules always outranked', () => {
    const seg = `${rules()}/segments.json`;
    expect(at(seg, `/rules/${ruleIndex['platinum-vip']}`)[0]?.message).toMatch(/^rule "platinum-vip" never fired: none of the \d+ customers in customers\.json has the profile it needs \(it reads vipLevel\)$/);
    expect(at(seg, `/rules/${ruleIndex['diamond-again']}`)[0]?.message).toMatch(
      /^rule "diamond-again" fires \(\d+ times\) but never decides the segment: a rule that comes first by priority always fires too \(mostly "diamond-vip"\)$/,
    );
    expect(at(`${rules()}/routing.json`, `/rules/${ruleIndex['gold-to-general']}`)[0]?.message).toMatch(/never chooses the queue: .*\(mostly "gold-silver-vip-desk"\)$/);
    expect(at(`${rules()}/popups.json`, `/rules/${ruleIndex['escalated-diagnosis']}`)[0]?.message).toMatch(
      /^rule "escalated-diagnosis" never fired: not on any of \d+ calls \(the \d+ customers in customers\.json, each making the representative calls of their segment's flow.*it reads diagnosisResult$/,
    );
    expect(at(`${rules()}/sms.json`, `/rules/${ruleIndex['survey-sms']}`)[0]?.message).toMatch(/^rule "survey-sms" never fired: not on any of \d+ calls/);
  });

  it('finds routes, overflow included, to queues without staffed agents', () => {
    const base = `/rules/${ruleIndex['campus-desk']}/event/params`;
    expect(at(`${rules()}/routing.json`, `${base}/queue`)[0]?.message).toBe(
      'calls routed to queue "campus" are never answered: the groups with a skill for it (campus-desk) have no agents at any time of day in staffing.json',
    );
    expect(at(`${rules()}/routing.json`, `${base}/overflow/0/queue`)[0]?.message).toBe(
      'calls overflowing to queue "callback" after 90 s are never answered there: no group in staffing.json has a skill for it',
    );
    // The staffing file's own warnings come along, located as JSON pointers.
    const callback = issues.find((i) => i.file === join(copy.dir, 'staffing.json') && i.message.includes("'callback'"));
    expect(callback?.path).toMatch(/^\/queues\/\d+$/);
  });

  it('lists nothing else', () => {
    const expected = 1 + 1 + 1 + 1 + 1 + 2 + 5 + 2;
    const staffingOwn = issues.filter((i) => i.file === join(copy.dir, 'staffing.json'));
    expect(issues.length - staffingOwn.length, issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toBe(expected);
  });
});

describe('ivr-sim lint with errors', () => {
  it('lists what validation finds, exits 1, and runs no further checks', async () => {
    const copy = copyConfig();
    try {
      copy.edit('flows/vip-gold.json', (f) => (f.states.dataBalance.on.PROMPT_END = 'anythingEls'));
      const r = await cli('lint', ...configFlags(copy));
      expect(r.code).toBe(1);
      expect(r.out).toContain(`error: ${copy.paths.flowsDir}/vip-gold.json at /states/dataBalance/on/PROMPT_END: unknown target "anythingEls"`);
      expect(r.out).toContain('lint: 1 error, 0 warnings');
      expect(r.err).toContain('ivr-sim: lint found 1 error');
    } finally {
      copy.remove();
    }
  });

  it('a broken staffing file is an error located in that file', async () => {
    const copy = copyConfig();
    try {
      copy.write('staffing.json', '{"queues": []}');
      const { code, issues } = await lintJson('--staffing', join(copy.dir, 'staffing.json'));
      expect(code).toBe(1);
      expect(issues.find((i) => i.severity === 'error')).toMatchObject({ file: join(copy.dir, 'staffing.json') });
    } finally {
      copy.remove();
    }
  });

  it('rejects a prompt limit that is not a positive number (usage, exit 2)', async () => {
    const r = await cli('lint', '--max-prompt-sec', 'soon');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--max-prompt-sec soon');
  });
});
