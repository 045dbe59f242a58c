import type { KeyPress } from '../flows/key-presses.js';
import { eventsTo, type FlowExploration, type Situation } from './flow-exploration.js';
import { keysOfEvents } from './key-paths.js';

/**
 * Key sequences that between them take a flow through each of its states and each way out of
 * them: the shortest way to every state, and that way followed by every key or timeout there.
 * A timeout before a later key cannot be written as keys; such a call ends where the keys run
 * out, which is a call of its own.
 */
export function representativeKeys(exploration: FlowExploration): KeyPress[][] {
  const firstByState = new Map<string, Situation>();
  for (const s of exploration.situations) {
    const key = `${s.state.path}|${JSON.stringify(s.facts)}`;
    const prev = firstByState.get(key);
    if (!prev || s.depth < prev.depth) firstByState.set(key, s);
  }
  const seen = new Map<string, KeyPress[]>();
  for (const s of firstByState.values()) {
    const base = eventsTo(s);
    for (const events of [base, ...s.moves.map((m) => [...base, m.event])]) {
      const { keys } = keysOfEvents(events);
      const wait = keys.indexOf('wait');
      const pressed = wait === -1 ? keys : keys.slice(0, wait);
      seen.set(pressed.join(','), pressed.map((key) => ({ key })));
    }
  }
  return [...seen.values()];
}
