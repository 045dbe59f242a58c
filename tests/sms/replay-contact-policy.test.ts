import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfiguration, PACKAGE_ROOT, type Configuration } from '../../src/core/configuration/configuration.js';
import type { ReplayReport } from '../../src/core/replay/replay-report.js';
import { ReplayRun, type Scenario } from '../../src/core/replay/replay-run.js';
import { replayTrace } from '../../src/core/replay/replay-trace.js';
import { loadContactPolicy } from '../../src/core/sms/contact-policy-file.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import type { Staffing } from '../../src/core/staffing/staffing.js';
import { scratch } from '../helpers/trace-files.js';

const DIAMOND = '+8613800000001';
/** Heavy data users (96% of their plan used): a bill enquiry gets the bill SMS and the add-on offer. */
const heavy = (phone: string, timeZone = 'Asia/Shanghai') => ({ phone, planDataMb: 10240, dataUsedMb: 9800, balance: 30, plan: '畅享套餐', network: '4G', timeZone });
const HEAVY = heavy('+8613900000001');
const NIGHT = heavy('+8613900000002');
const BILL = '2';
const ADDON_MENU = '4';

let config: Configuration;
let staffing: Staffing;
beforeAll(async () => {
  config = loadConfiguration();
  staffing = (await loadStaffingFile(join(PACKAGE_ROOT, 'data', 'staffing.json'))).staffing;
});
let tmp: ReturnType<typeof scratch>;
beforeEach(() => (tmp = scratch()));
afterEach(() => tmp.remove());

const scenario = (withPolicy: boolean): Scenario => ({ config, staffing, staffingSource: 'data/staffing.json', seed: 1, ...(withPolicy ? { contactPolicy: loadContactPolicy() } : {}) });
const info = { trace: 't', flowsDir: 'f', rulesDir: 'r', customersFile: 'c' };

async function replay(lines: object[], withPolicy = true): Promise<ReplayReport> {
  const run = new ReplayRun(scenario(withPolicy));
  const input = await replayTrace(tmp.file('t.jsonl', lines), [run]);
  return run.report(info, input);
}

const at = (day: number, hhmm: string) => `2025-06-0${2 + day}T${hhmm}:00.000+08:00`;
const call = (callId: string, arrivalTime: string, keys: string, who: { caller?: string; profile?: object }) => ({ callId, arrivalTime, keys, talkSec: 60, ...who });

describe('a replay applies the contact policy in simulated time, sending nothing', () => {
  it('reports per template how many texts the policy would send, defer, and drop by reason', async () => {
    const r = await replay([
      call('c1', at(0, '09:00'), BILL, { caller: DIAMOND }),
      call('c2', at(0, '10:00'), BILL, { caller: DIAMOND }), // the bill again the same day
      call('h1', at(0, '12:00'), ADDON_MENU, { profile: HEAVY }),
      call('n1', at(0, '22:30'), BILL, { profile: NIGHT }), // bill goes at night; the offer waits for 08:00
      call('n2', at(0, '22:40'), BILL, { profile: NIGHT }), // both again: bill capped; offer capped at 08:00, behind n1's
      call('h2', at(1, '13:00'), ADDON_MENU, { profile: HEAVY }),
      call('h3', at(2, '14:00'), ADDON_MENU, { profile: HEAVY }),
      call('h4', at(3, '15:00'), ADDON_MENU, { profile: HEAVY }), // a fourth offer in a week
      call('x1', at(3, '16:00'), BILL, {}), // no caller number
    ]);
    expect(r.contactPolicy).toEqual({
      policyVersion: loadContactPolicy().version,
      requested: 11,
      sent: 6,
      deferred: 2,
      suppressed: { 'no-number': 1, 'overall-cap': 1, 'template-cap': 3 },
      byTemplate: {
        'addon-offer': { requested: 6, sent: 4, deferred: 2, suppressed: { 'overall-cap': 1, 'template-cap': 1 } },
        'bill-summary': { requested: 5, sent: 2, deferred: 0, suppressed: { 'no-number': 1, 'template-cap': 2 } },
      },
    });
    // Every message the rules asked for is accounted for, as the report's SMS counts say.
    expect(r.sms).toEqual({ 'addon-offer': 6, 'bill-summary': 5 });
  });

  it('without arrivalTime, day 0 is 1970-01-01 UTC: 14:30 there is 22:30 in Shanghai (deferred) and 15:30 in London (sent)', async () => {
    const r = await replay([
      { callId: 's1', arrivalSec: 14.5 * 3600, keys: ADDON_MENU, talkSec: 60, profile: heavy('+8613900000003') },
      { callId: 's2', arrivalSec: 14.5 * 3600 + 60, keys: ADDON_MENU, talkSec: 60, profile: heavy('+447700900123', 'Europe/London') },
    ]);
    expect(r.contactPolicy!.byTemplate['addon-offer']).toEqual({ requested: 2, sent: 2, deferred: 1, suppressed: {} });
  });

  it('the caller\'s time zone decides: an arrivalTime trace at 22:30 +08:00 defers a Shanghai customer, not a London one', async () => {
    const r = await replay([
      call('z1', at(0, '22:30'), ADDON_MENU, { profile: heavy('+8613900000004') }),
      call('z2', at(0, '22:31'), ADDON_MENU, { profile: heavy('+447700900124', 'Europe/London') }),
    ]);
    expect(r.contactPolicy!.byTemplate['addon-offer']).toMatchObject({ sent: 2, deferred: 1 });
  });

  it('leaves every other figure of the report as it was; without a policy there is no contactPolicy section', async () => {
    const lines = [call('c1', at(0, '09:00'), BILL, { caller: DIAMOND }), call('n1', at(0, '22:30'), BILL, { profile: NIGHT }), call('h1', at(0, '12:00'), ADDON_MENU, { profile: HEAVY })];
    lines.sort((a, b) => a.arrivalTime.localeCompare(b.arrivalTime));
    const withPolicy = new ReplayRun(scenario(true));
    const without = new ReplayRun(scenario(false));
    const input = await replayTrace(tmp.file('t.jsonl', lines), [withPolicy, without]);
    const a = withPolicy.report(info, input);
    const b = without.report(info, input);
    expect('contactPolicy' in b).toBe(false);
    const { contactPolicy, ...rest } = a;
    expect(contactPolicy!.requested).toBe(4);
    expect(rest).toEqual(b);
  });

  it('is deterministic: the same trace gives the same counts', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => ({ callId: `d${i}`, arrivalSec: 20 * 3600 + i * 300, keys: i % 2 ? BILL : ADDON_MENU, talkSec: 60, profile: heavy(`+86139000001${String(i % 7).padStart(2, '0')}`) }));
    const a = await replay(lines);
    const b = await replay(lines);
    expect(a.contactPolicy).toEqual(b.contactPolicy);
    expect(a.contactPolicy!.sent + Object.values(a.contactPolicy!.suppressed).reduce((x, y) => x + y, 0)).toBe(a.contactPolicy!.requested);
  });
});
