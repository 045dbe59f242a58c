/**
 * Independent reference for the Erlang formulas: the queue as a plain continuous-time Markov
 * chain, truncated, solved by Gaussian elimination, with waiting times from the tagged
 * caller's own absorbing chain. Slow and obvious on purpose; it shares no code with
 * src/core/staffing.
 */

export interface QueueModel {
  /** Arrivals per second. */
  lambda: number;
  /** Service rate of one agent, per second. */
  mu: number;
  agents: number;
  /** Abandonment rate of one waiting caller, per second; 0 for none. */
  theta: number;
  /** Largest number of callers in the system kept in the truncated chain. */
  maxInSystem: number;
}

const solved = new Map<string, number[]>();

/** Stationary distribution of calls in system, solving πQ = 0, Σπ = 1 directly. */
export function stationaryDistribution(m: QueueModel): number[] {
  const key = JSON.stringify(m);
  let pi = solved.get(key);
  if (!pi) {
    pi = solveStationary(m);
    solved.set(key, pi);
  }
  return pi;
}

function solveStationary(m: QueueModel): number[] {
  const n = m.maxInSystem + 1;
  const death = (k: number) => m.mu * Math.min(k, m.agents) + m.theta * Math.max(k - m.agents, 0);
  // Rows are balance equations (columns of Q), the last replaced by normalisation.
  const a: number[][] = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let state = 0; state < n; state++) {
    const up = state < n - 1 ? m.lambda : 0;
    const down = death(state);
    a[state]![state]! -= up + down;
    if (state < n - 1) a[state + 1]![state]! += up;
    if (state > 0) a[state - 1]![state]! += down;
  }
  for (let j = 0; j < n; j++) a[n - 1]![j] = 1;
  a[n - 1]![n] = 1;
  return solve(a, n);
}

function solve(a: number[][], n: number): number[] {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    // The normalisation row (last) is dense; pivoting on it early would fill the matrix in.
    for (let r = col + 1; r < n - 1; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const pivotRow = a[col]!;
    const p = pivotRow[col]!;
    // The generator is tridiagonal, so the pivot row has few non-zeros: visit only those.
    const nonZero: number[] = [];
    for (let j = col; j <= n; j++) if (pivotRow[j] !== 0) nonZero.push(j);
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / p;
      if (f === 0) continue;
      for (const j of nonZero) a[r]![j]! -= f * pivotRow[j]!;
    }
  }
  return Array.from({ length: n }, (_, i) => a[i]![n]! / a[i]![i]!);
}

export interface ReferenceFigures {
  pWait: number;
  pAbandon: number;
  /** P(answered within t) over all offered calls. */
  serviceLevel: number;
  /** Mean wait of answered calls. */
  asaSec: number;
}

/**
 * Figures for a FIFO queue. A caller who finds j others waiting moves up at rate cμ + jθ
 * (head-of-line answered or someone ahead hangs up), is answered from the head at rate cμ
 * and hangs up itself at rate θ; its chance of being answered within t comes from
 * uniformisation of that small absorbing chain.
 */
export function referenceFigures(m: QueueModel, thresholdSec: number): ReferenceFigures {
  const pi = stationaryDistribution(m);
  const c = m.agents;
  const cmu = c * m.mu;
  let pWait = 0;
  let queueMean = 0;
  for (let n = c; n < pi.length; n++) {
    pWait += pi[n]!;
    queueMean += (n - c) * pi[n]!;
  }
  const maxAhead = pi.length - 1 - c;

  // First-step analysis: served[j] = P(answered | j ahead), waitServed[j] = E[wait; answered].
  const served: number[] = [];
  const waitServed: number[] = [];
  for (let j = 0; j <= maxAhead; j++) {
    const move = cmu + j * m.theta;
    const total = move + m.theta;
    const next = j === 0 ? 1 : served[j - 1]!;
    const nextWait = j === 0 ? 0 : waitServed[j - 1]!;
    served[j] = (move / total) * next;
    waitServed[j] = served[j]! / total + (move / total) * nextWait;
  }
  let pServedAfterWait = 0;
  let waitOfServed = 0;
  for (let j = 0; j <= maxAhead; j++) {
    pServedAfterWait += pi[c + j]! * served[j]!;
    waitOfServed += pi[c + j]! * waitServed[j]!;
  }
  const pServed = 1 - pWait + pServedAfterWait;

  // Uniformisation for P(answered by t) from the arrival-seen distribution.
  const rate = cmu + (maxAhead + 1) * m.theta;
  let v = Array.from({ length: maxAhead + 1 }, (_, j) => pi[c + j]!);
  let answered = 0;
  const mean = rate * thresholdSec;
  const steps = Math.ceil(mean + 12 * Math.sqrt(mean) + 30);
  let logPoisson = -mean;
  let withinT = 0;
  for (let step = 0; step <= steps; step++) {
    if (step > 0) logPoisson += Math.log(mean) - Math.log(step);
    withinT += Math.exp(logPoisson) * answered;
    const next = new Array<number>(maxAhead + 1).fill(0);
    for (let j = 0; j <= maxAhead; j++) {
      const mass = v[j]!;
      if (mass === 0) continue;
      const move = cmu + j * m.theta;
      if (j === 0) answered += (mass * move) / rate;
      else next[j - 1]! += (mass * move) / rate;
      next[j]! += (mass * (rate - move - m.theta)) / rate;
    }
    v = next;
  }

  return {
    pWait,
    pAbandon: m.theta === 0 ? 0 : (m.theta * queueMean) / m.lambda,
    serviceLevel: 1 - pWait + withinT,
    asaSec: waitOfServed / pServed,
  };
}
