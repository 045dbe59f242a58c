import type { PatienceModel, QueueBehaviour, TailModel } from '../behaviour/queue-behaviour.js';
import { SeededRandom } from '../random/seeded-random.js';
import type { Staffing } from '../staffing/staffing.js';
import { formatOffsetDateTime } from '../trace/date-time.js';
import type { TraceLine } from '../trace/trace-line.js';
import type { AcdCall } from './acd-log.js';
import { clock, type Calibration, type DayCalibration } from './calibrate.js';
import type { PatienceFit, TailFit } from './patience.js';
import { retryLinks } from './retrials.js';

/**
 * The trace of a set of calls, ACD-level lines: the queue, priority, arrival and talk as
 * recorded; no patienceSec (the behaviour model draws it); `retryOf` on a call that follows an
 * abandoned call of the same customer; `observed` keeps the real wait and outcome. An abandoned
 * call gets a talk time drawn (seeded) from its queue's answered calls, since whether it is
 * answered is for the replay to decide.
 */
export function traceLines(calls: readonly AcdCall[], cal: Pick<Calibration, 'retrials'>, talkPool: ReadonlyMap<string, readonly number[]>, seed: number): TraceLine[] {
  const links = cal.retrials ? retryLinks(calls, cal.retrials.windowSec) : new Map<string, { retryOf: string }>();
  const draws = new Map<string, SeededRandom>();
  return calls.map((c) => {
    let talkSec = c.talkSec;
    if (c.outcome === 'abandoned') {
      const pool = talkPool.get(c.queue) ?? [];
      let r = draws.get(c.queue);
      if (!r) draws.set(c.queue, (r = SeededRandom.stream(seed, `talk:${c.queue}`)));
      talkSec = pool.length ? pool[r.int(0, pool.length - 1)]! : 0;
    }
    const line: TraceLine = { callId: c.callId, arrivalTime: formatOffsetDateTime(c.epochMs, c.offsetMin), queue: c.queue, talkSec };
    if (c.priority !== undefined) line.priority = c.priority;
    const link = links.get(c.callId);
    if (link) line.retryOf = link.retryOf;
    line.observed = { queue: c.queue, waitSec: c.waitSec, answered: c.outcome === 'answered' };
    return line;
  });
}

/** Answered talk times per queue (the pooled ones where the calibration fell back to them). */
export function talkPools(calls: readonly AcdCall[], cal: Pick<Calibration, 'talk' | 'queues'>): Map<string, number[]> {
  const all = calls.filter((c) => c.outcome === 'answered').map((c) => c.talkSec);
  const out = new Map<string, number[]>();
  for (const q of cal.queues) out.set(q, cal.talk[q]?.source === 'all queues' ? all : calls.filter((c) => c.queue === q && c.outcome === 'answered').map((c) => c.talkSec));
  return out;
}

/**
 * Staffing of one day (or the mean of several, by time of day): every group's mean available
 * agents per interval, written as shifts to the minute. A fractional mean is kept as agent time:
 * 12.4 agents in a 30-minute interval are 13 agents for 12 minutes and 12 for 18, so no agent
 * minute is lost to rounding. No after-call work: time an agent spent after a call while a
 * caller waited is already left out of its availability.
 */
export function staffingFor(days: readonly DayCalibration[], cal: Pick<Calibration, 'groups' | 'queues' | 'intervalMin' | 'thresholdSec' | 'input'>): Staffing {
  const intervalMin = cal.intervalMin;
  const slots = 1440 / intervalMin;
  return {
    serviceLevel: { target: 0.8, thresholdSec: cal.thresholdSec },
    intervalMin,
    defaultWrapSec: 0,
    queues: cal.queues.map((id) => (cal.input.queueNames[id] === undefined ? { id } : { id, name: cal.input.queueNames[id] })),
    groups: cal.groups.map((g) => {
      const mean = Array.from({ length: slots }, (_, i) => days.reduce((s, d) => s + (d.staffing[g.id]?.[i]?.agents ?? 0), 0) / days.length);
      const minutes: number[] = [];
      for (const x of mean) {
        const lo = Math.floor(x + 1e-9);
        const upMin = Math.round((x - lo) * intervalMin);
        for (let m = 0; m < intervalMin; m++) minutes.push(m < upMin ? lo + 1 : lo);
      }
      const shifts: { from: string; to: string; agents: number }[] = [];
      for (let m = 0; m < minutes.length; ) {
        let end = m;
        while (end < minutes.length && minutes[end] === minutes[m]) end++;
        if (minutes[m]! > 0) shifts.push({ from: clock(m * 60), to: end === 1440 ? '24:00' : clock(end * 60), agents: minutes[m]! });
        m = end;
      }
      return {
        id: g.id,
        name: `agents answering ${g.queues.join(', ')}`,
        skills: Object.fromEntries(g.queues.map((q) => [q, 1])),
        shifts: shifts.length ? shifts : [{ from: '00:00', to: '24:00', agents: 0 }],
      };
    }),
  };
}

function tailModel(t: TailFit): TailModel {
  return t.kind === 'exponential' ? { kind: 'exponential', meanSec: t.meanSec.value } : { kind: 'weibull', shape: t.shape.value, scaleSec: t.scaleSec.value };
}

export function patienceModel(fit: PatienceFit): PatienceModel {
  if (fit.points.length === 0) return tailModel(fit.tail);
  return { kind: 'kaplanMeier', points: fit.points.map((p) => [p.tSec, p.survival]), tail: tailModel(fit.tail) };
}

/** behaviour.json: patience (pooled, and per queue where estimated) and retrials. */
export function behaviourFor(cal: Calibration): QueueBehaviour {
  const b: QueueBehaviour = {
    description: `Calibrated from an ACD log: ${cal.input.calls} calls over ${cal.days.length} day${cal.days.length === 1 ? '' : 's'} (${cal.days[0]!.date}${cal.days.length > 1 ? ` to ${cal.days[cal.days.length - 1]!.date}` : ''}).`,
  };
  if (cal.patience.pooled) {
    const byQueue = Object.fromEntries(Object.entries(cal.patience.byQueue).map(([q, f]) => [q, patienceModel(f)]));
    b.patience = { default: patienceModel(cal.patience.pooled), ...(Object.keys(byQueue).length ? { byQueue } : {}) };
  }
  const r = cal.retrials;
  if (r && r.probability.value > 0 && r.delay.valuesSec.length > 0) {
    const byQueue = Object.fromEntries(Object.entries(r.byQueue).filter(([, e]) => e.n >= 30).map(([q, e]) => [q, e.value]));
    b.retrials = { probability: r.probability.value, ...(Object.keys(byQueue).length ? { byQueue } : {}), delaySec: { kind: 'empirical', valuesSec: r.delay.valuesSec } };
  }
  return b;
}

/** calibration.json: every estimate with its interval and sample size, the fallbacks, and what was read. */
export function calibrationDocument(cal: Calibration, source: { file: string; timeZone?: string; day?: string }): object {
  const { retrials } = cal;
  return {
    source: { ...source, rows: cal.input.rows, calls: cal.input.calls, otherDays: cal.input.otherDays, leftOut: cal.input.leftOut, unknownOutcomes: cal.input.unknownOutcomes },
    method: {
      intervalMin: cal.intervalMin,
      serviceLevelThresholdSec: cal.thresholdSec,
      staffing: `presence between an agent's consecutive calls less than ${cal.presenceGapSec / 60} minutes apart, except, from the end of its call, while idle when a caller of its group waited`,
      staffingBias:
        'measured on synthetic logs with shifts and breaks: 0–5 % above the agents on duty in intervals where callers wait, agent-hours within 5 %; low in quiet intervals and at shift edges (docs/calibration.md)',
      patience: 'Kaplan–Meier (abandoned = observed, answered = censored at its wait) while at least 20 callers wait; beyond, the tail chosen by a likelihood-ratio test',
      retrials: retrials ? `a later call of the same customerId within ${retrials.windowSec / 3600} h of an abandoned call` : undefined,
    },
    fallbacks: cal.fallbacks,
    queues: cal.queues,
    days: cal.days.map((d) => ({ date: d.date, calls: d.calls.length, real: d.real })),
    arrivals: Object.fromEntries(cal.queues.map((q) => [q, cal.days.map((d) => ({ date: d.date, byInterval: d.arrivals[q]!.filter((a) => a.calls > 0) }))])),
    talk: cal.talk,
    patience: {
      pooled: cal.patience.pooled,
      byQueue: cal.patience.byQueue,
    },
    retrials: retrials && { ...retrials, delay: { ...retrials.delay, valuesSec: undefined, values: retrials.delay.valuesSec.length } },
    agents: {
      groups: cal.groups,
      staffing: cal.days.map((d) => ({ date: d.date, byGroup: Object.fromEntries(Object.entries(d.staffing).map(([g, rows]) => [g, rows.filter((r) => r.agents > 0)])) })),
    },
  };
}

/**
 * The log's arrivals as a day profile for `ivr-sim gen --day-profile`: calls per local hour, all
 * queues, averaged over the days calibrated (the rates for generating days like them).
 */
export function dayProfileFor(cal: Pick<Calibration, 'days' | 'queues' | 'intervalMin'>): { description: string; unit: 'callsPerHour'; hours: number[] } {
  const perHour = 60 / cal.intervalMin;
  const hours = Array.from({ length: 24 }, (_, h) => {
    let calls = 0;
    for (const d of cal.days) for (const q of cal.queues) for (let k = 0; k < perHour; k++) calls += d.arrivals[q]![h * perHour + k]!.calls;
    return Math.round((calls / cal.days.length) * 10) / 10;
  });
  const dates = cal.days.map((d) => d.date);
  return {
    description: `Calls per local hour of an ACD log, all queues, mean of ${dates.length === 1 ? dates[0] : `${dates.length} days (${dates[0]} to ${dates[dates.length - 1]})`}.`,
    unit: 'callsPerHour',
    hours,
  };
}
