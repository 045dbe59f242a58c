// The queue-level trace of `npm run bench:acd`: one queue, Poisson arrivals, exponential handle
// times and patience (an M/M/c+M queue), written with a fixed seed so every run replays the same
// lines; and the one-queue staffing file with 30 agents, no after-call work.
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { SeededRandom } from '../src/core/random/seeded-random.js';

export const ACD_AGENTS = 30;
/** Mean handle time and patience (seconds), and arrivals per hour: about 95 % of the agents' capacity offered. */
export const ACD_TALK_SEC = 180;
export const ACD_PATIENCE_SEC = 120;
export const ACD_CALLS_PER_HOUR = 570;

export function writeAcdStaffing(path: string): void {
  const doc = {
    serviceLevel: { target: 0.8, thresholdSec: 30 },
    intervalMin: 30,
    defaultWrapSec: 0,
    queues: [{ id: 'general' }],
    groups: [{ id: 'floor', skills: { general: 1 }, wrapSec: 0, agents: ACD_AGENTS }],
  };
  writeFileSync(path, JSON.stringify(doc, null, 2) + '\n');
}

/** Writes `calls` lines `{"callId","arrivalSec","queue","talkSec","patienceSec"}` (three decimals, one decimal). */
export async function writeAcdTrace(path: string, calls: number, seed = 1): Promise<void> {
  const arrivals = SeededRandom.stream(seed, 'acd-arrivals');
  const talk = SeededRandom.stream(seed, 'acd-talk');
  const patience = SeededRandom.stream(seed, 'acd-patience');
  const out = createWriteStream(path);
  const meanGapSec = 3600 / ACD_CALLS_PER_HOUR;
  let t = 0;
  let chunk = '';
  for (let i = 1; i <= calls; i++) {
    t += arrivals.exponential(meanGapSec);
    const talkSec = Math.max(1, Math.round(talk.exponential(ACD_TALK_SEC)));
    const patienceSec = Math.round(patience.exponential(ACD_PATIENCE_SEC) * 10) / 10;
    chunk += `{"callId":"a${String(i).padStart(7, '0')}","arrivalSec":${t.toFixed(3)},"queue":"general","talkSec":${talkSec},"patienceSec":${patienceSec}}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
