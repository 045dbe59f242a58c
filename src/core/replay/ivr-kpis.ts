import type { CompactDecision } from './compact-decision.js';

/** What the IVR and the rules did, summed for one group of calls. */
export interface IvrSums {
  calls: number;
  selfServed: number;
  handedOff: number;
  /** Callers who hung up while still in the IVR. */
  hungUpInIvr: number;
  ivrSec: number;
  hotKeys: Record<string, number>;
  sms: Record<string, number>;
  tags: Record<string, number>;
}

export function emptyIvrSums(): IvrSums {
  return { calls: 0, selfServed: 0, handedOff: 0, hungUpInIvr: 0, ivrSec: 0, hotKeys: {}, sms: {}, tags: {} };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export function addDecision(s: IvrSums, d: CompactDecision): void {
  s.calls++;
  if (d.outcome === 'selfServed') s.selfServed++;
  else if (d.outcome === 'handoff') s.handedOff++;
  else s.hungUpInIvr++;
  s.ivrSec += d.ivrSec;
  if (d.hotKey !== null) bump(s.hotKeys, d.hotKey);
  for (const m of d.sms) bump(s.sms, m.template);
  for (const t of d.tags) bump(s.tags, t);
}

/** A call that skipped the IVR (an ACD-level trace line) still counts as a call handed to agents. */
export function addDirect(s: IvrSums): void {
  s.calls++;
  s.handedOff++;
}

export function mergeIvrSums(target: IvrSums, source: IvrSums): void {
  target.calls += source.calls;
  target.selfServed += source.selfServed;
  target.handedOff += source.handedOff;
  target.hungUpInIvr += source.hungUpInIvr;
  target.ivrSec += source.ivrSec;
  for (const k of ['hotKeys', 'sms', 'tags'] as const) {
    for (const [key, n] of Object.entries(source[k])) target[k][key] = (target[k][key] ?? 0) + n;
  }
}

/** IVR sums by an arbitrary key and by interval, kept as running sums only. */
export class IvrKpiAccumulator {
  readonly byKey = new Map<string, IvrSums>();
  readonly byInterval = new Map<number, IvrSums>();

  constructor(private readonly intervalSec: number) {}

  private slot<K>(map: Map<K, IvrSums>, key: K): IvrSums {
    let s = map.get(key);
    if (!s) map.set(key, (s = emptyIvrSums()));
    return s;
  }

  add(keys: readonly string[], arrivalSec: number, d: CompactDecision | null): void {
    const interval = Math.floor(arrivalSec / this.intervalSec);
    for (const s of [...keys.map((k) => this.slot(this.byKey, k)), this.slot(this.byInterval, interval)]) {
      if (d) addDecision(s, d);
      else addDirect(s);
    }
  }
}
