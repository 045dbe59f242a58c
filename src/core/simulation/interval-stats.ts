/** Per-interval series the simulator reports: queue length and agent time. */

export interface QueueIntervalStats {
  queue: string;
  /** Interval number: floor(startSec / intervalSec). */
  interval: number;
  startSec: number;
  /** Seconds of this interval the simulation covered (less than the interval at the ends). */
  coveredSec: number;
  /** Time-average number of calls waiting for this queue, overflowed calls included. */
  avgWaiting: number;
  maxWaiting: number;
}

export interface GroupIntervalStats {
  group: string;
  interval: number;
  startSec: number;
  coveredSec: number;
  /** Agent-seconds logged in. */
  staffedAgentSec: number;
  /** Agent-seconds talking or in after-call work. */
  busyAgentSec: number;
  /** Time-average number of agents logged in. */
  avgStaffed: number;
  maxStaffed: number;
  /** busy ÷ staffed; null when nobody was logged in. */
  occupancy: number | null;
}

/**
 * Visits every reporting interval overlapping [startSec, endSec), with its position among
 * them (slot), its number, where it starts and how much of it lies inside the span.
 */
export function forEachInterval(
  startSec: number,
  endSec: number,
  intervalSec: number,
  visit: (slot: number, interval: number, intervalStartSec: number, coveredSec: number) => void,
): void {
  const first = Math.floor(startSec / intervalSec);
  const last = endSec > startSec ? Math.ceil(endSec / intervalSec) - 1 : first - 1;
  for (let interval = first; interval <= last; interval++) {
    const from = interval * intervalSec;
    const coveredSec = Math.min(from + intervalSec, endSec) - Math.max(from, startSec);
    visit(interval - first, interval, from, coveredSec);
  }
}
