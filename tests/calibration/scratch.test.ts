import { it } from 'vitest';
import { synthesiseAcdLog, writeAcdCsv } from './synthetic-acd-log.js';
import { readAcdLog } from '../../src/core/calibration/acd-log-reader.js';
import { calibrate } from '../../src/core/calibration/calibrate.js';
import { realKpis } from '../../src/core/calibration/calibrate.js';

it('scratch', () => {
  const profile = [200, 300, 380, 420, 400, 330, 360, 400, 380, 300, 240, 180].map((x) => x * 0.62);
  const log = synthesiseAcdLog({
    seed: 7, days: 6, firstDate: '2026-03-02', offsetMin: 480, openHour: 8,
    queues: [
      { id: 'general', callsPerHour: profile, talk: { meanSec: 240, cv: 0.8 }, patience: { kind: 'exponential', meanSec: 120 } },
      { id: 'billing', callsPerHour: profile.map((x) => x * 0.35), talk: { meanSec: 300, cv: 0.6 }, patience: { kind: 'weibull', shape: 0.6, scaleSec: 200 } },
    ],
    shifts: [{ fromHour: 7.75, toHour: 14, agents: 18 }, { fromHour: 10, toHour: 16, agents: 10 }, { fromHour: 13.5, toHour: 20.25, agents: 16 }],
    retrial: { probability: 0.3, meanDelaySec: 600 },
    breaks: { shortMin: 10, lunchMin: 30 },
    unknownCustomerShare: 0.1,
  });
  writeAcdCsv('/tmp/ce/log.csv', log.rows);
  const { calls, stats } = readAcdLog('/tmp/ce/log.csv');
  const cal = calibrate(calls, stats, { intervalMin: 30 });
  console.log(log.rows.length, JSON.stringify(realKpis(calls, 30)), log.retrials);
  console.log(JSON.stringify(cal.talk.general?.lognormal), JSON.stringify(cal.talk.billing?.lognormal));
  for (const [q, f] of Object.entries(cal.patience.byQueue)) console.log(q, f.tailChoice, JSON.stringify(f.tail), f.n, f.abandoned, f.points.length);
  console.log(JSON.stringify(cal.retrials?.probability), cal.retrials?.delay.medianSec, JSON.stringify(cal.retrials?.delay.lognormal?.meanSec));
  const d0 = cal.days[0]!;
  const g = cal.groups[0]!;
  console.log(cal.groups.map((x) => x.id + ':' + x.agents.length));
  for (let i = 14; i < 42; i++) console.log(d0.staffing[g.id]![i]!.start, d0.staffing[g.id]![i]!.agents.toFixed(2), log.availability[0]![i]!.toFixed(2), JSON.stringify(d0.realByInterval.find((r) => r.interval === i)?.serviceLevel));
});
