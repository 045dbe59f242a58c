import { afterEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/core/decision/decision.js';
import { copyConfig, type ConfigCopy } from '../helpers/config-copy.js';
import { cli } from '../helpers/cli.js';

let copy: ConfigCopy | undefined;
afterEach(() => copy?.remove());

describe('ivr-sim call', () => {
  it('a diamond VIP pressing 0 is handed to the VIP desk above any campus caller, with tags and the rules behind them', async () => {
    const diamond = await cli('call', '--caller', '+8613800000001', '--keys', '0', '--json');
    expect(diamond.code).toBe(0);
    const d = JSON.parse(diamond.out) as Decision;
    expect(d.segment).toEqual({ id: 'vip-diamond', priority: 100, rule: 'diamond-vip' });
    expect(d.flow).toMatchObject({ outcome: 'handoff', hotKey: '0' });
    expect(d.route).toMatchObject({ queue: 'vip-diamond', rule: 'diamond-dedicated-desk' });
    expect(d.tags.length).toBeGreaterThan(0);
    for (const t of d.tags) expect(d.explanation.fired.popups).toContain(t.rule);

    // Every campus caller of the sample file gets a lower priority.
    const campus = await cli('call', '--profile', writeProfile({ phone: '+8613999999999', campus: true }), '--keys', '0', '--json');
    expect(JSON.parse(campus.out).route.priority).toBeLessThan(d.route!.priority);
  });

  it('prints a readable transcript and the decision with its reasons', async () => {
    const r = await cli('call', '--caller', '+8613800000001', '--keys', '1,9');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Segment vip-diamond (rule diamond-vip');
    expect(r.out).toContain('尊敬的钻石卡客户王先生');
    expect(r.out).toContain('key 1');
    expect(r.out).toContain('Outcome  selfServed');
    expect(r.out).toContain('data-usage-summary');
  });

  it('speaks English with --lang en-US', async () => {
    const r = await cli('call', '--caller', '+8613800000001', '--keys', '0', '--lang', 'en-US');
    expect(r.out).toContain('This is your Diamond VIP line.');
  });

  it('the reference engines give the same JSON', async () => {
    const a = await cli('call', '--caller', '+8613800000020', '--keys', '3,2,2,2', '--json');
    const b = await cli('call', '--caller', '+8613800000020', '--keys', '3,2,2,2', '--json', '--reference');
    expect(a.out).toBe(b.out);
  });

  it('an unknown caller gets the standard flow', async () => {
    const d = JSON.parse((await cli('call', '--caller', '+8613000000000', '--keys', '0', '--json')).out) as Decision;
    expect(d.caller.known).toBe(false);
    expect(d.segment.id).toBe('standard');
    expect(d.explanation.notes).toContain('caller not in the customers file: standard treatment');
  });

  it('rejects bad usage with exit code 2 and a clear message', async () => {
    expect(await cli('call', '--keys', '1')).toMatchObject({ code: 2, err: expect.stringContaining('--caller') });
    expect(await cli('call', '--caller', '+8613800000001', '--keys', '1,x')).toMatchObject({ code: 2, err: expect.stringContaining('key 2 "x"') });
    expect(await cli('call', '--caller', '+8613800000001', '--lang', 'fr-FR')).toMatchObject({ code: 2, err: expect.stringContaining('fr-FR') });
  });
});

describe('ivr-sim validate', () => {
  it('passes on the shipped files', async () => {
    const r = await cli('validate');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^valid: 8 flows, 1 sub-flow\(s\), \d+ prompts, 4 rule sets/);
  });

  it('fails on a copy with a broken transition target, naming file and path', async () => {
    copy = copyConfig();
    copy.edit('flows/vip-gold.json', (f) => (f.states.dataBalance.on.PROMPT_END = 'anythingEls'));
    const r = await cli('validate', '--flows', copy.paths.flowsDir, '--rules', copy.paths.rulesDir, '--customers', copy.paths.customersFile);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${copy.paths.flowsDir}/vip-gold.json at /states/dataBalance/on/PROMPT_END: unknown target "anythingEls"`);
    expect(r.err).toContain('1 error; nothing was run');
  });
});

function writeProfile(profile: object): string {
  copy ??= copyConfig();
  const file = 'profile.json';
  copy.write(file, JSON.stringify(profile));
  return `${copy.dir}/${file}`;
}
