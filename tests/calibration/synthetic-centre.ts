import type { SyntheticCentre } from './synthetic-acd-log.js';

/** Calls per hour from 08:00 to 20:00 of the larger queue; the other gets 35 % of it. */
const PROFILE = [124, 186, 236, 260, 248, 205, 223, 248, 236, 186, 149, 112];

/**
 * The centre the calibration tests log: six days, some 20,000 calls, two queues served by one
 * pool in three shifts, every agent with a 10-minute break and a 30-minute lunch.
 */
export const CENTRE: SyntheticCentre = {
  seed: 7,
  days: 6,
  firstDate: '2026-03-02',
  offsetMin: 480,
  openHour: 8,
  queues: [
    { id: 'general', callsPerHour: PROFILE, talk: { meanSec: 240, cv: 0.8 }, patience: { kind: 'exponential', meanSec: 120 } },
    { id: 'billing', callsPerHour: PROFILE.map((x) => x * 0.35), talk: { meanSec: 300, cv: 0.6 }, patience: { kind: 'weibull', shape: 0.6, scaleSec: 200 } },
  ],
  shifts: [
    { fromHour: 7.75, toHour: 14, agents: 18 },
    { fromHour: 10, toHour: 16, agents: 10 },
    { fromHour: 13.5, toHour: 20.25, agents: 16 },
  ],
  retrial: { probability: 0.3, meanDelaySec: 600 },
  breaks: { shortMin: 10, lunchMin: 30 },
  unknownCustomerShare: 0.1,
};
