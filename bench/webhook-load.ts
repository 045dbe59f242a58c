/**
 * The load generator of `npm run bench:webhooks`, run in a process of its own (forked by
 * webhooks-bench.ts, results sent back over IPC). It plays Twilio for many simultaneous calls:
 * each lane posts a signed /voice/incoming for a new CallSid, then signed /voice/gather requests
 * for the step the last TwiML named (pressing 2, then 1, then 2 … through the standard flow:
 * bill balance, "anything else?", back to the menu), `gathersPerCall` of them, then starts the
 * next call. Every answer is checked: a gather counts as done only if the call advanced to the
 * next step (anything else — a repeated or stale turn, a fault turn, a non-200 — is an error).
 *
 * Two modes:
 * - closed: `lanes` callers each send their next request as soon as the last one is answered
 *   (maximum throughput; latency from the moment each request is sent).
 * - open: requests are due on a fixed schedule, `rate` gathers/s plus the incoming requests that
 *   start the calls (rate × (gathersPerCall + 1) / gathersPerCall requests/s in all, evenly
 *   spaced and dealt round-robin to the lanes), and each latency is measured from the moment the
 *   request was due, not when it went out. A request whose call is still waiting for its previous
 *   answer goes out as soon as that answer arrives, late, and the lateness counts, so a slow
 *   answer cannot hide the requests queued behind it (no coordinated omission). With the default
 *   lanes each call sees one request a second, far longer than a healthy answer takes; sockets are
 *   opened as needed (keep-alive, no pool limit), so no request waits for a free connection.
 *
 * Autocannon is not used: with a one-entry `requests` list it restarts a connection's request
 * sequence after each response (so its "gathers" were all /voice/incoming), and its rate mode
 * measures latency from the actual send, which hides queueing behind a slow answer.
 */

import { connect as tcpConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';

export interface LoadSpec {
  mode: 'closed' | 'open';
  url: string;
  baseUrl: string;
  authToken: string;
  accountSid: string;
  /** Distinguishes this run's CallSids (8 hex digits). */
  sidPrefix: string;
  gathersPerCall: number;
  /** closed: concurrent callers; open: calls in progress the schedule is dealt over. */
  lanes: number;
  /** open: gathers per second offered. */
  rate: number;
  warmupSec: number;
  seconds: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface LoadResult {
  mode: 'closed' | 'open';
  seconds: number;
  gathers: LatencySummary;
  incoming: LatencySummary;
  gathersPerSec: number;
  requestsPerSec: number;
  /** Requests answered with something other than the expected turn, or not answered. */
  errors: number;
  errorSamples: string[];
  /** open: the largest lateness of a send behind its due time, ms (the generator's own lag included). */
  maxSendLagMs: number;
  /** Gathers measured from the moment each went out rather than from its due time: the answer alone. */
  gathersFromSend: LatencySummary;
  /** How late each counted gather went out behind its due time (open: the generator's own lag, and a call's previous answer). */
  gatherSendLag: LatencySummary;
  /** CPU time of this process over the measured window, ms. */
  cpuMs: number;
  /** Requests answered over the whole run, warm-up included (for the service's CPU per request). */
  answered: number;
}

const CALLER = '+8613800000300';
/** Idle keep-alive connections older than this are not reused (below the service's 5 s keep-alive timeout). */
const IDLE_REUSE_MS = 4000;

/**
 * One keep-alive HTTP/1.1 connection, one request at a time, written and read by hand: the
 * generator shares the machine's cores with the service, so it must cost as little per request
 * as it can (node:http's client cost about three times as much CPU). Answers are read by
 * Content-Length, which the service always sends; status 0 is a failed connection.
 */
class Conn {
  private readonly socket: Socket;
  private buf = '';
  private pending: ((status: number, text: string) => void) | null = null;
  /** When the last answer arrived (performance.now()). */
  idleSince = 0;

  constructor(host: string, port: number) {
    this.socket = tcpConnect({ host, port, noDelay: true });
    this.socket.setEncoding('latin1');
    this.socket.on('data', (d: string) => this.read(d));
    this.socket.on('error', (err) => this.fail(err.message));
    this.socket.on('close', () => this.fail('connection closed'));
  }

  /** False once the service closed it (an idle keep-alive connection times out on the server). */
  get open(): boolean {
    return !this.socket.destroyed;
  }

  post(request: string, answered: (status: number, text: string) => void): void {
    this.pending = answered;
    this.socket.write(request, 'utf8');
  }

  close(): void {
    this.socket.destroy();
  }

  private read(d: string): void {
    this.buf += d;
    const head = this.buf.indexOf('\r\n\r\n');
    if (head < 0) return;
    const m = /\r\ncontent-length: *(\d+)/i.exec(this.buf.slice(0, head));
    if (!m) return this.fail(`answer without Content-Length: ${this.buf.slice(0, 200)}`);
    const end = head + 4 + Number(m[1]);
    if (this.buf.length < end) return;
    const status = Number(this.buf.slice(9, 12));
    const text = Buffer.from(this.buf.slice(head + 4, end), 'latin1').toString('utf8');
    this.buf = this.buf.slice(end);
    this.idleSince = performance.now();
    const p = this.pending;
    this.pending = null;
    p?.(status, text);
  }

  private fail(why: string): void {
    const p = this.pending;
    this.pending = null;
    this.socket.destroy();
    p?.(0, why);
  }
}

function summary(xs: number[]): LatencySummary {
  const s = Float64Array.from(xs).sort();
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN);
  return { count: s.length, p50: at(0.5), p99: at(0.99), p999: at(0.999), max: s.length ? s[s.length - 1]! : NaN };
}

interface Lane {
  callSid: string;
  /** Gathers sent on the current call; 0: the incoming request is next. */
  sent: number;
  step: number;
  /** Gathers this call makes (the lanes' first calls are cut short, so the lanes are out of phase). */
  limit: number;
  busy: boolean;
  /** closed: the lane's own connection. */
  conn?: Conn;
  /** open: due times of requests waiting for this lane's previous answer. */
  backlog: number[];
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const target = new URL(spec.url);
  const host = target.host;
  /** open: idle keep-alive connections, the most recently used first; a new one is opened when none is idle. */
  const pool: Conn[] = [];
  const conns: Conn[] = [];
  const connect = () => {
    const c = new Conn(target.hostname, Number(target.port));
    conns.push(c);
    return c;
  };
  let calls = 0;
  const newSid = () => `CA${spec.sidPrefix}${(++calls).toString(16).padStart(24, '0')}`;
  // Lane i's first call makes i mod (gathersPerCall + 1) gathers: from the start, incoming
  // requests and gathers come in the proportions of the steady state.
  const lanes: Lane[] = Array.from({ length: spec.lanes }, (_, i) => ({ callSid: newSid(), sent: 0, step: 0, limit: i % (spec.gathersPerCall + 1), busy: false, backlog: [] }));

  const t0 = performance.now();
  const measureFrom = t0 + spec.warmupSec * 1000;
  const measureTo = measureFrom + spec.seconds * 1000;
  const gatherLat: number[] = [];
  const gatherFromSend: number[] = [];
  const gatherLag: number[] = [];
  const incomingLat: number[] = [];
  let errors = 0;
  const errorSamples: string[] = [];
  let maxSendLagMs = 0;
  let inFlight = 0;
  let answered = 0;
  let stopped = false;
  /** Every request due in the window has been sent or queued behind its call (closed: always). */
  let scheduled = spec.mode === 'closed';
  let cpuAt: NodeJS.CpuUsage | null = null;
  let cpuMs = 0;

  const error = (what: string) => {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(what);
  };

  /** Signs and posts the lane's next request; `dueAt` is when it was due (closed: now). */
  const send = (lane: Lane, dueAt: number) => {
    lane.busy = true;
    inFlight++;
    const isIncoming = lane.sent === 0;
    const path = isIncoming ? '/voice/incoming' : `/voice/gather?step=${lane.step}`;
    const params: Record<string, string> = {
      AccountSid: spec.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: lane.callSid,
      CallStatus: 'in-progress',
      Called: '+861008600',
      Caller: CALLER,
      Direction: 'inbound',
      From: CALLER,
      To: '+861008600',
    };
    if (!isIncoming) {
      params['Digits'] = lane.sent % 2 === 1 ? '2' : '1';
      params['FinishedOnKey'] = '';
    }
    const body = new URLSearchParams(params).toString();
    const signature = twilio.getExpectedTwilioSignature(spec.authToken, spec.baseUrl + path, params);
    const sentAt = performance.now();
    if (spec.mode === 'open') maxSendLagMs = Math.max(maxSendLagMs, sentAt - dueAt);
    // A connection idle for longer than the service keeps one (Node's 5 s keep-alive timeout) may be
    // closing on the other side as the request is written (a reset): such ones are dropped instead.
    let pooled = pool.pop();
    while (pooled && (!pooled.open || sentAt - pooled.idleSince > IDLE_REUSE_MS)) {
      pooled.close();
      pooled = pool.pop();
    }
    const conn = lane.conn?.open ? lane.conn : (pooled ?? connect());
    if (spec.mode === 'closed') lane.conn = conn;
    conn.post(
      `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Twilio-Signature: ${signature}\r\nI-Twilio-Idempotency-Token: ${lane.callSid}-${lane.sent}\r\n\r\n${body}`,
      (status, text) => {
        if (status === 0) lane.conn = undefined;
        else if (spec.mode === 'open') pool.push(conn);
        done(status, text);
      },
    );

    const done = (status: number, text: string) => {
      const now = performance.now();
      inFlight--;
      answered++;
      lane.busy = false;
      const counted = dueAt >= measureFrom && dueAt < measureTo;
      const m = /gather\?step=(\d+)"/.exec(text);
      const next = m ? Number(m[1]) : null;
      // incoming: the first turn (step 1); gather: the call moved to the next step.
      const ok = status === 200 && next !== null && (isIncoming ? next === 1 : next === lane.step + 1);
      if (counted) {
        if (!ok) error(`${path} → ${status} ${text.slice(0, 160)}`);
        else if (isIncoming) incomingLat.push(now - dueAt);
        else {
          gatherLat.push(now - dueAt);
          gatherFromSend.push(now - sentAt);
          gatherLag.push(sentAt - dueAt);
        }
      }
      if (ok && lane.sent < lane.limit) {
        lane.step = next!;
        lane.sent++;
      } else {
        lane.callSid = newSid();
        lane.sent = 0;
        lane.step = 0;
        lane.limit = spec.gathersPerCall;
      }
      if (stopped) return;
      if (spec.mode === 'closed') {
        if (now < measureTo) send(lane, performance.now());
      } else if (lane.backlog.length) {
        send(lane, lane.backlog.shift()!);
      }
    };
  };

  const finished = new Promise<void>((resolve) => {
    const startCpu = setTimeout(() => (cpuAt = process.cpuUsage()), spec.warmupSec * 1000);
    startCpu.unref();
    const check = setInterval(() => {
      const now = performance.now();
      if (now >= measureTo && cpuAt) {
        const c = process.cpuUsage(cpuAt);
        if (cpuMs === 0) cpuMs = (c.user + c.system) / 1000;
      }
      // Stop when the window is over and its requests are answered (or 15 s later: Twilio's limit).
      if (now >= measureTo && scheduled && (inFlight === 0 || now >= measureTo + 15_000)) {
        stopped = true;
        clearInterval(check);
        if (inFlight > 0) error(`${inFlight} requests unanswered 15 s after the end`);
        resolve();
      }
    }, 50);
  });

  if (spec.mode === 'closed') {
    for (const lane of lanes) send(lane, performance.now());
  } else {
    // Requests in all per second: the gathers plus the incoming requests that start their calls.
    const perSec = (spec.rate * (spec.gathersPerCall + 1)) / spec.gathersPerCall;
    const interval = 1000 / perSec;
    let k = 0;
    const tick = () => {
      const now = performance.now();
      // Every request due by now goes out (a late timer sends the overdue ones at once, each keeping its due time).
      for (; t0 + k * interval <= now; k++) {
        const due = t0 + k * interval;
        if (due >= measureTo) {
          scheduled = true;
          return;
        }
        const lane = lanes[k % lanes.length]!;
        if (lane.busy) lane.backlog.push(due);
        else send(lane, due);
      }
      setTimeout(tick, Math.max(0, t0 + k * interval - performance.now() - 0.5));
    };
    tick();
  }
  await finished;
  for (const c of conns) c.close();
  const g = summary(gatherLat);
  const i = summary(incomingLat);
  return {
    mode: spec.mode,
    seconds: spec.seconds,
    gathers: g,
    incoming: i,
    gathersPerSec: g.count / spec.seconds,
    requestsPerSec: (g.count + i.count) / spec.seconds,
    errors,
    errorSamples,
    maxSendLagMs,
    gathersFromSend: summary(gatherFromSend),
    gatherSendLag: summary(gatherLag),
    cpuMs,
    answered,
  };
}

// Forked by webhooks-bench.ts: one spec in, one result out.
if (process.send) {
  process.once('message', (spec: LoadSpec) => {
    void runLoad(spec).then(
      (r) => process.send!(r, () => process.exit(0)),
      (err: Error) => {
        process.stderr.write(`load generator: ${err.stack ?? err.message}\n`);
        process.exit(1);
      },
    );
  });
}
