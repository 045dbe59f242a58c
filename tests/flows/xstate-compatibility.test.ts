import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { defaultPaths } from '../../src/core/configuration/configuration.js';

const dir = defaultPaths().flowsDir;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'prompts.json');

describe('shipped flows stay loadable by the XState ecosystem', () => {
  it.each(files)('%s is a plain XState machine config', (file) => {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const machine = createMachine(json);
    expect(machine.id).toBe(json.id);
    // With the named actions left unimplemented, XState still starts it in its initial state.
    const actor = createActor(machine).start();
    expect(actor.getSnapshot().value).toEqual({ menu: 'welcome' });
    actor.stop();
  });
});
