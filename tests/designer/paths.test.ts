import { describe, expect, it } from 'vitest';
import { eventsOfTranscript } from '../../src/core/designer/call-events.js';
import { keyPaths, keysOfEvents } from '../../src/core/designer/key-paths.js';
import { shortestPaths, visitedStates } from '../../src/core/flows/flow-paths.js';
import { parseKeys } from '../../src/core/flows/key-presses.js';
import { deriveProfileFacts } from '../../src/core/profile/facts.js';
import type { CustomerProfile } from '../../src/core/profile/customer-profile.js';
import { shippedConfig, shippedDecider } from '../helpers/shipped.js';
import { cli } from './designer-cli.js';

const config = shippedConfig();
const decider = shippedDecider();
const flows = [...config.flows.flows.values()];

interface PrintedPath {
  state: string;
  keys: string;
  caller: string;
  facts: Record<string, unknown>;
  passes: boolean;
  needsProfile: boolean;
}

/** Reads `ivr-sim paths` output the way a designer does: state, keys, and whom to call as. */
function readPaths(out: string): PrintedPath[] {
  const header = /Try one: ivr-sim call --caller (\S+)/.exec(out);
  const typical = header?.[1] ?? '';
  return out
    .split('\n')
    .filter((l) => /^ {2}\S+: /.test(l))
    .map((line) => {
      const [, state, rest] = /^ {2}(\S+): (.*)$/.exec(line)!;
      const facts: Record<string, unknown> = {};
      for (const [, k, v] of (/\[([^\]]+)\]/.exec(rest!)?.[1] ?? '').matchAll(/(\w+)=([^,\s]+)/g)) facts[k!] = JSON.parse(v!);
      return {
        state: state!,
        keys: rest!.startsWith('(') ? '' : rest!.split(' ')[0]!,
        caller: /e\.g\. --caller (\S+)/.exec(rest!)?.[1] ?? typical,
        facts,
        passes: rest!.includes('(passes through)'),
        needsProfile: rest!.includes('use --profile'),
      };
    });
}

describe('ivr-sim paths', () => {
  it.each(flows.map((f) => [f.id, f] as const))('%s: every printed key path, pasted into a call, reaches its state', async (id, flow) => {
    const r = await cli('paths', id);
    expect(r.code).toBe(0);
    const printed = readPaths(r.out);
    const atomic = flow.tree.states().filter((s) => s.isAtomic && s !== flow.tree.root);
    expect(printed.map((p) => p.state).sort()).toEqual(atomic.map((s) => s.path).sort());
    for (const p of printed) {
      let input: { caller?: string; profile?: CustomerProfile };
      if (p.needsProfile) input = { profile: { ...config.customers.lookup(p.caller).profile, ...p.facts } };
      else input = { caller: p.caller };
      const d = decider.decide({ callId: 'paths', ...input, keys: parseKeys(p.keys), transcript: true });
      expect(d.segment.id, p.state).toBe(flow.segment);
      const rested = d.transcript!.filter((e) => e.kind === 'state').map((e) => e.state);
      if (!p.passes) expect(rested, `keys ${p.keys} for ${p.state}`).toContain(p.state);
      else {
        // Passed-through states are not in the transcript; XState's inspection sees them.
        const profile = input.profile ?? config.customers.lookup(p.caller).profile;
        const seen = visitedStates(flow, deriveProfileFacts(profile, true), eventsOfTranscript(d.transcript!));
        expect(seen, `keys ${p.keys} for ${p.state}`).toContain(p.state);
      }
    }
  });

  it('prints the keys as --keys takes them, the facts a path needs, and marks passed-through states and outcomes', async () => {
    const r = await cli('paths', 'vip-diamond');
    expect(r.out).toContain('Try one: ivr-sim call --caller +8613800000001 --keys <keys>');
    const lines = r.out.split('\n');
    expect(lines).toContain('  diagnosis.noSignalSim: 3,1,2');
    expect(lines).toContain('  menu.welcome: (no keys: every call starts here)');
    expect(lines).toContain('  diagnosis.fixed: 3,1,1  (passes through)');
    expect(lines.find((l) => l.startsWith('  diagnosis.outageNotice: '))).toMatch(/^ {2}diagnosis\.outageNotice: 3 {2}\[areaOutage=true\]/);
    expect(lines).toContain('  handoff: 0  (outcome)');
  });

  it('--json gives the same paths with events, keys and facts', async () => {
    const r = await cli('paths', 'standard', '--json');
    const doc = JSON.parse(r.out) as { flow: string; paths: { state: string; events: string[]; keysArg: string; facts: object }[] };
    expect(doc.flow).toBe('standard');
    expect(doc.paths.find((p) => p.state === 'diagnosis.noSignalSim')).toMatchObject({ events: ['KEY.3', 'KEY.1', 'KEY.2'], keysArg: '3,1,2', facts: {} });
    expect(doc.paths.find((p) => p.state === 'handoff')).toMatchObject({ events: ['KEY.0', 'PROMPT_END'], keysArg: '0' });
  });
});

describe('key paths', () => {
  it('write timeouts as a trailing "(no input)" and, before a later key, as "wait" that --keys cannot say', () => {
    expect(keysOfEvents(['KEY.3', 'PROMPT_END', 'NO_INPUT'])).toEqual({ keys: ['3'], endsWithNoInput: true, pasteable: true });
    expect(keysOfEvents(['NO_INPUT', 'KEY.1'])).toEqual({ keys: ['wait', '1'], endsWithNoInput: false, pasteable: false });
  });

  it.each(flows.map((f) => [f.id, f] as const))(
    '%s: are as short as the shortest paths XState’s graph traversal (@xstate/graph) finds to each state',
    (_id, flow) => {
      const mine = new Map(keyPaths(flow).map((p) => [p.state, p.events.length]));
      for (const p of shortestPaths(flow)) expect(mine.get(p.state), p.state).toBe(p.events.length);
    },
    120_000,
  );
});
