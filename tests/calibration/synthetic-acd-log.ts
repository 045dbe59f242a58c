import { writeFileSync } from 'node:fs';
import { SeededRandom } from '../../src/core/random/seeded-random.js';
import { formatOffsetDateTime } from '../../src/core/trace/date-time.js';

/**
 * A synthetic contact centre that writes an ACD log from known parameters, so a test can check
 * that calibration recovers them. Its agents work shifts and take breaks (a short break and a
 * lunch each), which the simulator being calibrated does not model; one pool of agents answers
 * every queue, longest-waiting call first, the agent idle longest taking it.
 */
export type PatienceLaw = { kind: 'exponential'; meanSec: number } | { kind: 'weibull'; shape: number; scaleSec: number };

export interface SyntheticQueue {
  id: string;
  /** Calls per hour in each hour of the day from `openHour` (one entry per hour). */
  callsPerHour: number[];
  talk: { meanSec: number; cv: number };
  patience: PatienceLaw;
}

export interface SyntheticCentre {
  seed: number;
  days: number;
  firstDate: string;
  offsetMin: number;
  openHour: number;
  queues: SyntheticQueue[];
  /** Shifts of the one pool, local hours. */
  shifts: { fromHour: number; toHour: number; agents: number }[];
  /** Share of abandoned callers who call again, and their mean delay (exponential). */
  retrial: { probability: number; meanDelaySec: number };
  /** Length of each agent's short break and lunch, minutes. */
  breaks: { shortMin: number; lunchMin: number };
  /** Share of calls with no customer id. */
  unknownCustomerShare: number;
}

export interface SyntheticRow {
  callId: string;
  customerId: string;
  queue: string;
  arrivalTime: string;
  waitSec: number;
  outcome: 'answered' | 'abandoned';
  talkSec: number;
  agentId: string;
  /** Not in the log: seconds since day 0's midnight, for the truth. */
  t: number;
}

export interface SyntheticLog {
  rows: SyntheticRow[];
  /** Agents on duty (in shift, not on a break), mean per interval: day → interval → agents. */
  availability: number[][];
  retrials: { abandonedWithCustomer: number; retried: number };
}

interface Call {
  id: string;
  customer: string;
  queue: SyntheticQueue;
  t: number;
  patience: number;
  state: 'waiting' | 'answered' | 'abandoned';
  qi: number;
}
interface Agent {
  id: string;
  onDuty: boolean;
  busyUntil: number;
  idleSince: number;
}
type Event = { t: number; seq: number; run: () => void };

class EventList {
  private readonly heap: Event[] = [];
  private seq = 0;
  push(t: number, run: () => void): void {
    const h = this.heap;
    h.push({ t, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.less(h[i]!, h[p]!)) {
        [h[i], h[p]] = [h[p]!, h[i]!];
        i = p;
      } else break;
    }
  }
  pop(): Event | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
  private less(a: Event, b: Event): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
}

export function drawPatience(r: SeededRandom, law: PatienceLaw): number {
  const e = -Math.log(1 - r.next());
  return law.kind === 'exponential' ? law.meanSec * e : law.scaleSec * e ** (1 / law.shape);
}

export function synthesiseAcdLog(c: SyntheticCentre, intervalMin = 30): SyntheticLog {
  const rArr = SeededRandom.stream(c.seed, 'arrivals');
  const rTalk = SeededRandom.stream(c.seed, 'talk');
  const rPat = SeededRandom.stream(c.seed, 'patience');
  const rRetry = SeededRandom.stream(c.seed, 'retrial');
  const rBreak = SeededRandom.stream(c.seed, 'breaks');
  const rCust = SeededRandom.stream(c.seed, 'customers');
  const events = new EventList();
  const intervalSec = intervalMin * 60;
  const slots = 1440 / intervalMin;
  const availability = Array.from({ length: c.days }, () => new Array<number>(slots).fill(0));
  const addDuty = (from: number, to: number) => {
    for (let i = Math.floor(from / intervalSec); i * intervalSec < to; i++) {
      const lo = Math.max(from, i * intervalSec);
      const hi = Math.min(to, (i + 1) * intervalSec);
      const day = Math.floor(i / slots);
      if (hi > lo && day < c.days) availability[day]![i % slots]! += (hi - lo) / intervalSec;
    }
  };
  const waiting: Call[] = [];
  const agents: Agent[] = [];
  const rows: SyntheticRow[] = [];
  let nCall = 0;
  let nCustomer = 0;
  let abandonedWithCustomer = 0;
  let retried = 0;

  const answer = (call: Call, agent: Agent, t: number) => {
    call.state = 'answered';
    const talk = Math.max(1, Math.round(rTalk.lognormal(call.queue.talk.meanSec, call.queue.talk.cv)));
    agent.busyUntil = t + talk;
    rows.push(row(call, t - call.t, 'answered', talk, agent.id));
    events.push(t + talk, () => {
      agent.busyUntil = 0;
      agent.idleSince = t + talk;
      if (agent.onDuty) serveNext(agent, t + talk);
    });
  };
  const serveNext = (agent: Agent, t: number) => {
    while (waiting.length && waiting[0]!.state !== 'waiting') waiting.shift();
    const call = waiting.shift();
    if (call) answer(call, agent, t);
  };
  const row = (call: Call, wait: number, outcome: 'answered' | 'abandoned', talkSec: number, agentId: string): SyntheticRow => {
    const dayMs = Date.parse(`${c.firstDate}T00:00:00Z`) - c.offsetMin * 60_000;
    return {
      callId: call.id,
      customerId: call.customer,
      queue: call.queue.id,
      arrivalTime: formatOffsetDateTime(dayMs + Math.round(call.t * 1000), c.offsetMin),
      waitSec: Math.round(wait * 1000) / 1000,
      outcome,
      talkSec,
      agentId,
      t: call.t,
    };
  };
  const arrive = (queue: SyntheticQueue, t: number, customer: string) => {
    const call: Call = { id: `c${String(++nCall).padStart(6, '0')}`, customer, queue, t, patience: drawPatience(rPat, queue.patience), state: 'waiting', qi: 0 };
    const free = agents.filter((a) => a.onDuty && a.busyUntil === 0).sort((a, b) => a.idleSince - b.idleSince)[0];
    if (free) return answer(call, free, t);
    waiting.push(call);
    events.push(t + call.patience, () => {
      if (call.state !== 'waiting') return;
      call.state = 'abandoned';
      const at = t + call.patience;
      rows.push(row(call, call.patience, 'abandoned', 0, ''));
      if (call.customer === '') return;
      abandonedWithCustomer++;
      if (rRetry.chance(c.retrial.probability)) {
        retried++;
        const back = at + rRetry.exponential(c.retrial.meanDelaySec);
        events.push(back, () => arrive(queue, back, call.customer));
      }
    });
  };


  for (let d = 0; d < c.days; d++) {
    const day0 = d * 86_400;
    // Arrivals: Poisson, piecewise constant by hour.
    for (const q of c.queues) {
      q.callsPerHour.forEach((rate, h) => {
        const from = day0 + (c.openHour + h) * 3600;
        let t = from + rArr.exponential(3600 / rate);
        while (t < from + 3600) {
          const tt = t;
          const customer = rCust.chance(c.unknownCustomerShare) ? '' : `k${++nCustomer}`;
          events.push(tt, () => arrive(q, tt, customer));
          t += rArr.exponential(3600 / rate);
        }
      });
    }
    // Shifts, each agent with a short break and a lunch.
    let k = 0;
    for (const s of c.shifts) {
      for (let i = 0; i < s.agents; i++) {
        const agent: Agent = { id: `a${String(++k).padStart(3, '0')}`, onDuty: false, busyUntil: 0, idleSince: 0 };
        if (d === 0) agents.push(agent);
        const a = d === 0 ? agent : agents.find((x) => x.id === agent.id)!;
        const from = day0 + s.fromHour * 3600;
        const to = day0 + s.toHour * 3600;
        const len = to - from;
        const short = from + len * (0.1 + 0.25 * rBreak.next());
        const shortEnd = short + c.breaks.shortMin * 60;
        const lunch = from + len * (0.45 + 0.15 * rBreak.next());
        const lunchEnd = lunch + c.breaks.lunchMin * 60;
        const spans: [number, number][] = [
          [from, short],
          [shortEnd, lunch],
          [lunchEnd, to],
        ];
        for (const [on, off] of spans) {
          addDuty(on, off);
          events.push(on, () => {
            a.onDuty = true;
            if (a.busyUntil === 0) {
              a.idleSince = on;
              serveNext(a, on);
            }
          });
          events.push(off, () => {
            a.onDuty = false;
          });
        }
      }
    }
  }
  for (let e = events.pop(); e; e = events.pop()) e.run();
  rows.sort((a, b) => a.t - b.t);
  return { rows, availability, retrials: { abandonedWithCustomer, retried } };
}

export function writeAcdCsv(file: string, rows: readonly SyntheticRow[]): void {
  const head = 'callId,customerId,queue,arrivalTime,waitSec,outcome,talkSec,agentId';
  writeFileSync(file, [head, ...rows.map((r) => [r.callId, r.customerId, r.queue, r.arrivalTime, r.waitSec, r.outcome, r.outcome === 'answered' ? r.talkSec : '', r.agentId].join(','))].join('\n') + '\n');
}
