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

/** The counts of a call, without its hot key, SMS and tags. */
function addDecisionCounts(s: IvrSums, d: CompactDecision): void {
  s.calls++;
  if (d.outcome === 'selfServed') s.selfServed++;
  else if (d.outcome === 'handoff') s.handedOff++;
  else s.hungUpInIvr++;
  s.ivrSec += d.ivrSec;
}

/**
 * IVR sums by key ('overall', 'segment:<id>', 'queue:<id>') and by interval, kept as running
 * sums only. Each call adds to the overall sums, its segment's, its queue's (if any) and its
 * interval's; the sums of a segment, a queue and the current interval are looked up without
 * building their keys, since this runs for every call. The overall hot-key, SMS and tag counts
 * are the intervals' added up when `byKey` is read (whole numbers, so the same as running sums),
 * which spares every call a quarter of its counting.
 */
export class IvrKpiAccumulator {
  private readonly sums = new Map<string, IvrSums>();
  readonly byInterval = new Map<number, IvrSums>();
  private readonly overall: IvrSums;
  private readonly bySegmentId = new Map<string, IvrSums>();
  private readonly byQueueId = new Map<string, IvrSums>();
  private lastInterval = NaN;
  private lastIntervalSums: IvrSums | undefined;

  constructor(private readonly intervalSec: number) {
    this.overall = emptyIvrSums();
  }

  /** The sums by key; 'overall' once a call was added. */
  get byKey(): ReadonlyMap<string, IvrSums> {
    if (this.overall.calls === 0) return this.sums;
    const overall: IvrSums = { ...this.overall, hotKeys: {}, sms: {}, tags: {} };
    for (const sums of this.byInterval.values()) {
      for (const k of ['hotKeys', 'sms', 'tags'] as const) {
        for (const [key, n] of Object.entries(sums[k])) overall[k][key] = (overall[k][key] ?? 0) + n;
      }
    }
    return new Map([['overall', overall], ...this.sums]);
  }

  private slot<K>(map: Map<K, IvrSums>, key: K): IvrSums {
    let s = map.get(key);
    if (!s) map.set(key, (s = emptyIvrSums()));
    return s;
  }

  /** A call of `segment`, queued to `queue` (undefined when it never reached one); `d` null for a call that skipped the IVR. */
  add(segment: string, queue: string | undefined, arrivalSec: number, d: CompactDecision | null): void {
    let seg = this.bySegmentId.get(segment);
    if (!seg) this.bySegmentId.set(segment, (seg = this.slot(this.sums, `segment:${segment}`)));
    let q: IvrSums | undefined;
    if (queue !== undefined) {
      q = this.byQueueId.get(queue);
      if (!q) this.byQueueId.set(queue, (q = this.slot(this.sums, `queue:${queue}`)));
    }
    const interval = Math.floor(arrivalSec / this.intervalSec);
    if (interval !== this.lastInterval || !this.lastIntervalSums) {
      this.lastInterval = interval;
      this.lastIntervalSums = this.slot(this.byInterval, interval);
    }
    const at = this.lastIntervalSums;
    if (d) {
      addDecisionCounts(this.overall, d);
      addDecision(seg, d);
      if (q) addDecision(q, d);
      addDecision(at, d);
    } else {
      addDirect(this.overall);
      addDirect(seg);
      if (q) addDirect(q);
      addDirect(at);
    }
  }
}
