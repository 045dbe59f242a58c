import type { AcdCall, AcdReadStats } from './acd-log.js';
import { agentGroups, agentsByInterval, DEFAULT_PRESENCE_GAP_SEC, groupPresence, type AgentGroup } from './agent-staffing.js';
import { poissonInterval, round, type Estimate } from './estimate.js';
import { fitLognormal, summarise, type EmpiricalSummary, type LognormalFit } from './lognormal-fit.js';
import { fitPatience, type PatienceFit } from './patience.js';
import { DEFAULT_RETRIAL_WINDOW_SEC, fitRetrials, type RetrialFit } from './retrials.js';

export interface CalibrationOptions {
  intervalMin: number;
  /** Service-level threshold for the real KPIs and the staffing file (the log does not say the goal). */
  thresholdSec?: number;
  presenceGapSec?: number;
  retrialWindowSec?: number;
}

/** Below these, a queue's own estimate is not made: the pooled one stands in (named in `fallbacks`). */
export const MIN_QUEUE_ABANDONED = 30;
export const MIN_QUEUE_ANSWERED = 30;
export const MIN_QUEUE_RETRIAL_SAMPLE = 30;

/** An estimate the log was too small for, and what was used instead. */
export interface Fallback {
  estimate: string;
  reason: string;
  using: string;
}

export interface IntervalArrivals {
  interval: number;
  start: string;
  calls: number;
  /** Calls per hour, with the Poisson interval of the count. */
  ratePerHour: Estimate;
}

export interface RealKpis {
  offered: number;
  answered: number;
  abandoned: number;
  serviceLevel: number | null;
  asaSec: number | null;
  abandonRate: number | null;
}

export interface DayCalibration {
  date: string;
  /** Epoch ms of the day's local midnight (the clock's zero in a replay of the day). */
  originMs: number;
  offsetMin: number;
  calls: AcdCall[];
  real: RealKpis;
  realByInterval: (RealKpis & { interval: number; start: string })[];
  arrivals: Record<string, IntervalArrivals[]>;
  /** Group id → mean agents available per interval of the day, with the calls answered and agents seen answering in it. */
  staffing: Record<string, { interval: number; start: string; agents: number; answered: number; agentsSeen: number }[]>;
}

export interface Calibration {
  intervalMin: number;
  thresholdSec: number;
  presenceGapSec: number;
  queues: string[];
  days: DayCalibration[];
  talk: Record<string, { empirical: EmpiricalSummary; lognormal: LognormalFit | undefined; source: string }>;
  patience: { pooled: PatienceFit | undefined; byQueue: Record<string, PatienceFit> };
  retrials: RetrialFit | undefined;
  groups: AgentGroup[];
  fallbacks: Fallback[];
  input: AcdReadStats;
}

export const clock = (sec: number): string => `${String(Math.floor(sec / 3600)).padStart(2, '0')}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}`;

/** Real service level, ASA and abandonment, as the replay counts them: SL = answered within the threshold ÷ offered. */
export function realKpis(calls: readonly AcdCall[], thresholdSec: number): RealKpis {
  let answered = 0;
  let abandoned = 0;
  let inTime = 0;
  let wait = 0;
  for (const c of calls) {
    if (c.outcome === 'answered') {
      answered++;
      wait += c.waitSec;
      if (c.waitSec <= thresholdSec) inTime++;
    } else abandoned++;
  }
  const offered = answered + abandoned;
  return {
    offered,
    answered,
    abandoned,
    serviceLevel: offered ? round(inTime / offered) : null,
    asaSec: answered ? round(wait / answered, 2) : null,
    abandonRate: offered ? round(abandoned / offered) : null,
  };
}

/**
 * Every estimate the scenario is built from, from the log's inputs only (arrivals, waits,
 * talk, who answered when): nothing is tuned to the log's service level or abandonment,
 * since those are what a backtest must predict.
 */
export function calibrate(calls: readonly AcdCall[], input: AcdReadStats, options: CalibrationOptions): Calibration {
  const intervalSec = options.intervalMin * 60;
  const thresholdSec = options.thresholdSec ?? 30;
  const presenceGapSec = options.presenceGapSec ?? DEFAULT_PRESENCE_GAP_SEC;
  const queues = [...new Set(calls.map((c) => c.queue))].sort();
  const fallbacks: Fallback[] = [];
  const groups = agentGroups(calls, queues);
  for (const g of groups) {
    if (g.agents.length === 0) fallbacks.push({ estimate: `staffing of group ${g.id}`, reason: 'no call of its queues was answered, so no agent activity is seen', using: '0 agents all day' });
  }

  // Talk per queue; abandoned calls draw theirs from the queue's answered calls.
  const talk: Calibration['talk'] = {};
  const allTalk = calls.filter((c) => c.outcome === 'answered').map((c) => c.talkSec);
  for (const q of queues) {
    const own = calls.filter((c) => c.queue === q && c.outcome === 'answered').map((c) => c.talkSec);
    if (own.length >= MIN_QUEUE_ANSWERED || allTalk.length < MIN_QUEUE_ANSWERED) {
      talk[q] = { empirical: summarise(own), lognormal: fitLognormal(own), source: `queue ${q}` };
      if (own.length < MIN_QUEUE_ANSWERED) fallbacks.push({ estimate: `talk time of ${q}`, reason: `only ${own.length} answered calls in the whole log`, using: `the ${own.length} calls as they are` });
    } else {
      talk[q] = { empirical: summarise(allTalk), lognormal: fitLognormal(allTalk), source: 'all queues' };
      fallbacks.push({ estimate: `talk time of ${q}`, reason: `only ${own.length} answered calls (fewer than ${MIN_QUEUE_ANSWERED})`, using: 'the talk times of all queues pooled' });
    }
  }

  // Patience, pooled and per queue where the queue has enough abandonments.
  const waits = (cs: readonly AcdCall[]) => cs.map((c) => ({ waitSec: c.waitSec, abandoned: c.outcome === 'abandoned' }));
  const pooled = fitPatience(waits(calls));
  if (!pooled) fallbacks.push({ estimate: 'patience', reason: 'no call in the log was abandoned', using: 'no patience model: callers wait until answered' });
  const byQueue: Record<string, PatienceFit> = {};
  if (queues.length > 1) {
    for (const q of queues) {
      const inQ = calls.filter((c) => c.queue === q);
      const ab = inQ.filter((c) => c.outcome === 'abandoned').length;
      const fit = ab >= MIN_QUEUE_ABANDONED ? fitPatience(waits(inQ)) : undefined;
      if (fit) byQueue[q] = fit;
      else if (pooled) fallbacks.push({ estimate: `patience of ${q}`, reason: `only ${ab} abandoned calls (fewer than ${MIN_QUEUE_ABANDONED})`, using: 'the pooled patience of all queues' });
    }
  }

  const retrials = fitRetrials(calls, queues, options.retrialWindowSec ?? DEFAULT_RETRIAL_WINDOW_SEC);
  if (!retrials) fallbacks.push({ estimate: 'retrials', reason: 'no abandoned call has a customerId, so a retrial cannot be told from a new call', using: 'no retrial model: abandoned callers do not call again' });
  else {
    for (const [q, e] of Object.entries(retrials.byQueue)) {
      if (e.n < MIN_QUEUE_RETRIAL_SAMPLE) fallbacks.push({ estimate: `retrial share of ${q}`, reason: `only ${e.n} abandoned calls with a customerId (fewer than ${MIN_QUEUE_RETRIAL_SAMPLE})`, using: 'the share of all queues' });
    }
  }

  const days = [...new Set(calls.map((c) => c.date))].sort().map((date) => dayCalibration(date, calls.filter((c) => c.date === date), queues, groups, intervalSec, thresholdSec, presenceGapSec));
  return { intervalMin: options.intervalMin, thresholdSec, presenceGapSec, queues, days, talk, patience: { pooled, byQueue }, retrials, groups, fallbacks, input };
}

function dayCalibration(date: string, calls: AcdCall[], queues: string[], groups: AgentGroup[], intervalSec: number, thresholdSec: number, gapSec: number): DayCalibration {
  const offsetMin = calls[0]!.offsetMin;
  const originMs = Date.parse(`${date}T00:00:00Z`) - offsetMin * 60_000;
  const slots = Math.round(86_400 / intervalSec);
  const intervalOf = (c: AcdCall) => Math.min(slots - 1, Math.max(0, Math.floor((c.epochMs - originMs) / 1000 / intervalSec)));
  const arrivals: DayCalibration['arrivals'] = {};
  for (const q of queues) {
    const counts = new Array<number>(slots).fill(0);
    for (const c of calls) if (c.queue === q) counts[intervalOf(c)]!++;
    arrivals[q] = counts.map((n, i) => {
      const ci = poissonInterval(n);
      const perHour = 3600 / intervalSec;
      return { interval: i, start: clock(i * intervalSec), calls: n, ratePerHour: { value: n * perHour, ciLow: round(ci.low * perHour, 2), ciHigh: round(ci.high * perHour, 2), n } };
    });
  }
  const realByInterval: DayCalibration['realByInterval'] = [];
  const byInterval = new Map<number, AcdCall[]>();
  for (const c of calls) {
    const i = intervalOf(c);
    let list = byInterval.get(i);
    if (!list) byInterval.set(i, (list = []));
    list.push(c);
  }
  for (const i of [...byInterval.keys()].sort((a, b) => a - b)) realByInterval.push({ interval: i, start: clock(i * intervalSec), ...realKpis(byInterval.get(i)!, thresholdSec) });
  const staffing: DayCalibration['staffing'] = {};
  for (const g of groups) {
    const perInterval = agentsByInterval(groupPresence(calls, g, { originMs, maxGapSec: gapSec }), intervalSec);
    // The sample behind each interval's figure: the calls the group answered in it and the agents who answered them.
    const answered = new Array<number>(slots).fill(0);
    const seen = Array.from({ length: slots }, () => new Set<string>());
    const inGroup = new Set(g.queues);
    for (const c of calls) {
      if (c.outcome !== 'answered' || !inGroup.has(c.queue)) continue;
      const i = Math.min(slots - 1, Math.max(0, Math.floor(((c.epochMs - originMs) / 1000 + c.waitSec) / intervalSec)));
      answered[i]!++;
      if (c.agentId !== undefined) seen[i]!.add(c.agentId);
    }
    staffing[g.id] = Array.from({ length: slots }, (_, i) => ({ interval: i, start: clock(i * intervalSec), agents: round(perInterval.get(i) ?? 0, 3), answered: answered[i]!, agentsSeen: seen[i]!.size }));
  }
  return { date, originMs, offsetMin, calls, real: realKpis(calls, thresholdSec), realByInterval, arrivals, staffing };
}
