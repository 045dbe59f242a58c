import { readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** What one service process saw over a measured window: how late its event loop ran, and its garbage collections. */
export interface ServiceStats {
  /** Lateness of a timer due every 2 ms (event-loop delay): how long the loop was held at once. */
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  /** Mark-sweep-compact collections (the long ones). */
  gcMajorCount: number;
  gcMajorMs: number;
  /** Time the main (JavaScript) thread was ready to run but waited for a core (Linux /proc schedstat), ms. */
  runQueueWaitMs: number;
}

/** Nanoseconds the main thread has waited on a run queue so far; NaN where /proc is missing. */
function runQueueWaitNs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]);
  } catch {
    return NaN;
  }
}

/** Starts watching this process; `reset` begins a window, `report` reads it. */
export function watchServiceStats(): { reset(): void; report(): ServiceStats } {
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  let gc: PerformanceEntry[] = [];
  let waitedNs = runQueueWaitNs();
  new PerformanceObserver((list) => gc.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
  return {
    reset() {
      loop.reset();
      gc = [];
      waitedNs = runQueueWaitNs();
    },
    report() {
      const major = gc.filter((e) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      const sum = (es: PerformanceEntry[]) => es.reduce((a, e) => a + e.duration, 0);
      return {
        loopP50Ms: loop.percentile(50) / 1e6,
        loopP99Ms: loop.percentile(99) / 1e6,
        loopMaxMs: loop.max / 1e6,
        gcCount: gc.length,
        gcMs: sum(gc),
        gcMaxMs: gc.reduce((a, e) => Math.max(a, e.duration), 0),
        gcMajorCount: major.length,
        gcMajorMs: sum(major),
        runQueueWaitMs: (runQueueWaitNs() - waitedNs) / 1e6,
      };
    },
  };
}
