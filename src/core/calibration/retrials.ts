import type { AcdCall } from './acd-log.js';
import { proportion, quantile, sampleMean, type Estimate } from './estimate.js';
import { fitLognormal, type LognormalFit } from './lognormal-fit.js';

/** A later call by the same customer within this window counts as a retrial of an abandoned call. */
export const DEFAULT_RETRIAL_WINDOW_SEC = 24 * 3600;

export interface RetrialFit {
  /** Abandoned calls with a known customer: the sample of the share. */
  abandonedWithCustomer: number;
  /** Share of those whose customer called again within the window. */
  probability: Estimate;
  byQueue: Record<string, Estimate>;
  /** Seconds from the abandonment (arrival + wait) to the next call's arrival. */
  delay: { n: number; meanSec: Estimate; medianSec: number; p90Sec: number; lognormal: LognormalFit | undefined; valuesSec: number[] };
  windowSec: number;
}

/** For each abandoned call followed by a call of the same customer within the window: that call's id → the abandoned call's id. */
export function retryLinks(calls: readonly AcdCall[], windowSec = DEFAULT_RETRIAL_WINDOW_SEC): Map<string, { retryOf: string; delaySec: number }> {
  const links = new Map<string, { retryOf: string; delaySec: number }>();
  const lastByCustomer = new Map<string, AcdCall>();
  for (const c of calls) {
    if (c.customerId === undefined) continue;
    const before = lastByCustomer.get(c.customerId);
    if (before && before.outcome === 'abandoned') {
      const delaySec = (c.epochMs - before.epochMs) / 1000 - before.waitSec;
      if (delaySec >= 0 && delaySec <= windowSec) links.set(c.callId, { retryOf: before.callId, delaySec });
    }
    lastByCustomer.set(c.customerId, c);
  }
  return links;
}

/** Undefined when no abandoned call has a customer id: retrials cannot be told from new calls. */
export function fitRetrials(calls: readonly AcdCall[], queues: readonly string[], windowSec = DEFAULT_RETRIAL_WINDOW_SEC): RetrialFit | undefined {
  const links = retryLinks(calls, windowSec);
  const retried = new Set([...links.values()].map((l) => l.retryOf));
  const abandoned = calls.filter((c) => c.outcome === 'abandoned' && c.customerId !== undefined);
  if (abandoned.length === 0) return undefined;
  const byQueue: Record<string, Estimate> = {};
  for (const q of queues) {
    const inQ = abandoned.filter((c) => c.queue === q);
    if (inQ.length > 0) byQueue[q] = proportion(inQ.filter((c) => retried.has(c.callId)).length, inQ.length);
  }
  const delays = [...links.values()].map((l) => l.delaySec).sort((a, b) => a - b);
  return {
    abandonedWithCustomer: abandoned.length,
    probability: proportion(abandoned.filter((c) => retried.has(c.callId)).length, abandoned.length),
    byQueue,
    delay: {
      n: delays.length,
      meanSec: sampleMean(delays),
      medianSec: Math.round(quantile(delays, 0.5) * 10) / 10,
      p90Sec: Math.round(quantile(delays, 0.9) * 10) / 10,
      lognormal: fitLognormal(delays),
      valuesSec: thin(delays, 1000),
    },
    windowSec,
  };
}

/** At most `max` values that keep the distribution's shape: evenly spaced order statistics. */
function thin(sorted: readonly number[], max: number): number[] {
  const pick = sorted.length <= max ? sorted : Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]!);
  return pick.map((v) => Math.round(v * 10) / 10);
}
