import type { TransitionRef } from '../flows/flow-tree.js';
import { asArray, refParams, refType, type ActionRef, type GuardRef } from '../flows/flow-types.js';

/**
 * The words a designer reads for events, guards and actions, shared by the diagrams, the
 * coverage listing and lint messages so that one transition is called the same everywhere.
 */

/** `on:KEY.1` → "1", `on:KEY.*` → "other key", `on:NO_INPUT` → "no input", `onDone` → "done". */
export function eventLabel(event: string): string {
  const ev = event.startsWith('on:') ? event.slice(3) : event;
  if (ev === 'KEY.*') return 'other key';
  if (ev.startsWith('KEY.')) return ev.slice(4);
  if (ev === 'NO_INPUT') return 'no input';
  if (ev === 'PROMPT_END') return 'prompt ends';
  if (ev === 'always') return 'at once';
  if (ev === 'onDone') return 'done';
  return ev;
}

const OP_WORDS: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** `retriesBelow {max: 2}` → "retries < 2", `fact {areaOutage truthy}` → "areaOutage". */
export function guardLabel(guard: GuardRef): string {
  const p = refParams(guard);
  switch (refType(guard)) {
    case 'retriesBelow':
      return `retries < ${String(p['max'])}`;
    case 'diagnosisIs':
      return `result = ${String(p['result'])}`;
    case 'fact': {
      const fact = String(p['fact']);
      const op = String(p['op']);
      if (op === 'truthy') return fact;
      if (op === 'falsy') return `not ${fact}`;
      if (op === 'in') return `${fact} in ${asArray(p['value'] as unknown[]).map(String).join(' or ')}`;
      return `${fact} ${OP_WORDS[op] ?? op} ${String(p['value'])}`;
    }
    default:
      return refType(guard);
  }
}

/** The guard of a transition, or "else" for the unguarded fallback after guarded siblings. */
export function conditionLabel(ref: Pick<TransitionRef, 'source' | 'event' | 'index' | 'transition'>): string | undefined {
  if (ref.transition.guard !== undefined) return guardLabel(ref.transition.guard);
  return ref.index > 0 ? 'else' : undefined;
}

/** What a transition does that changes the call's course: retry counting, escalation, a hot key. */
export function actionMarks(actions: ActionRef | ActionRef[] | undefined): string[] {
  const marks: string[] = [];
  for (const a of asArray(actions)) {
    const t = refType(a);
    if (t === 'countRetry' && !marks.includes('retry')) marks.push('retry');
    if (t === 'escalate' && !marks.includes('escalate')) marks.push('escalate');
  }
  return marks;
}

/** The hot key a transition was expanded from, if it was (see flow-loader's expandFlow). */
export function hotKeyOf(actions: ActionRef | ActionRef[] | undefined): string | undefined {
  for (const a of asArray(actions)) if (refType(a) === 'useHotKey') return String(refParams(a)['key']);
  return undefined;
}

/** "1 [retries < 2] / retry" — event, condition and marks in the usual state-chart notation. */
export function transitionLabel(ref: Pick<TransitionRef, 'source' | 'event' | 'index' | 'transition'>): string {
  const hot = hotKeyOf(ref.transition.actions);
  if (hot !== undefined) return `hot ${hot}`;
  const cond = conditionLabel(ref);
  const marks = actionMarks(ref.transition.actions);
  const event = ref.event === 'always' ? '' : eventLabel(ref.event);
  return [event, cond ? `[${cond}]` : '', marks.length ? `/ ${marks.join(', ')}` : ''].filter(Boolean).join(' ');
}

/** Prompt ids a list of actions says: `say {prompt}` and each of `say {rotate}`. */
export function promptsSaid(actions: ActionRef | ActionRef[] | undefined): { ids: string[]; rotating: boolean }[] {
  const out: { ids: string[]; rotating: boolean }[] = [];
  for (const a of asArray(actions)) {
    if (refType(a) !== 'say') continue;
    const p = refParams(a);
    if (typeof p['prompt'] === 'string') out.push({ ids: [p['prompt']], rotating: false });
    const rotate = asArray(p['rotate'] as unknown[] | undefined).filter((x): x is string => typeof x === 'string');
    if (rotate.length) out.push({ ids: rotate, rotating: true });
  }
  return out;
}
