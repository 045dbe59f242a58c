import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deleteState, renameState, resolveTarget, stateOfPointer, targetChoices } from '../../src/app/pages/designer/flow-model.js';

const highData = () => JSON.parse(readFileSync('flows/high-data.json', 'utf8')) as Record<string, any>;

/** The editor changes flow documents in place: a rename touches the name and what names it, nothing else moves. */
describe("the designer page's flow model", () => {
  it('resolves targets among the siblings of the state that leaves, and "#flow.path" from the root', () => {
    const flow = highData();
    expect(resolveTarget(flow, ['menu'], 'dataBalance')).toEqual(['dataBalance']);
    expect(resolveTarget(flow, ['menu'], 'menu.repeat')).toEqual(['menu', 'repeat']);
    expect(resolveTarget(flow, ['menu', 'welcome'], 'repeat')).toEqual(['menu', 'repeat']);
    expect(resolveTarget(flow, ['menu', 'welcome'], '#high-data.agent')).toEqual(['agent']);
    expect(resolveTarget(flow, ['menu'], 'nowhere')).toBeNull();
    expect(targetChoices(flow, ['anythingElse'])).toContain('menu.repeat');
  });

  it('renames a state in its place, with every target, hot key and initial that names it', () => {
    const flow = highData();
    const keys = Object.keys(flow.states);
    renameState(flow, ['anythingElse'], 'moreHelp');
    expect(Object.keys(flow.states)).toEqual(keys.map((k) => (k === 'anythingElse' ? 'moreHelp' : k)));
    expect(flow.states.dataBalance.on.PROMPT_END).toBe('moreHelp');
    expect(flow.states.addonPack.on['KEY.*'][1].target).toBe('moreHelp');
    expect(flow.states.addonPack.on.NO_INPUT).toBe('moreHelp');
    // Retry counters are names of their own, not states: they stay.
    expect(JSON.stringify(flow).replaceAll('"counter":"anythingElse"', '')).not.toContain('"anythingElse"');

    renameState(flow, ['menu', 'repeat'], 'again');
    expect(Object.keys(flow.states.menu.states)).toEqual(['welcome', 'again']);
    expect(flow.states.menu.on['KEY.*'][0].target).toBe('menu.again');
    expect(flow.states.moreHelp.on['KEY.1']).toBe('menu.again');

    renameState(flow, ['dataBalance'], 'balance');
    expect(flow.meta.hotKeys[0].target).toBe('balance');
    renameState(flow, ['menu'], 'start');
    expect(flow.initial).toBe('start');
    // Renaming back gives the file as it was, byte for byte.
    renameState(flow, ['start'], 'menu');
    renameState(flow, ['balance'], 'dataBalance');
    renameState(flow, ['menu', 'again'], 'repeat');
    renameState(flow, ['moreHelp'], 'anythingElse');
    expect(`${JSON.stringify(flow, null, 2)}\n`).toBe(readFileSync('flows/high-data.json', 'utf8'));
  });

  it('does not rename onto a name in use, and deletes only the state', () => {
    const flow = highData();
    renameState(flow, ['agent'], 'handoff');
    expect(flow.states.agent).toBeDefined();
    deleteState(flow, ['addonOrdered']);
    expect(flow.states.addonOrdered).toBeUndefined();
    expect(flow.states.addonPack.on['KEY.1'].target).toBe('addonOrdered');
  });

  it('finds the state a JSON pointer falls in', () => {
    expect(stateOfPointer('/states/menu/states/welcome/meta/input/timeoutSec')).toBe('menu.welcome');
    expect(stateOfPointer('/states/menu/on/KEY.1')).toBe('menu');
    expect(stateOfPointer('/meta/hotKeys/0')).toBeNull();
  });
});
