import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAcdLog } from '../../src/core/calibration/acd-log-reader.js';
import { backtest, type Backtest } from '../../src/core/calibration/backtest.js';
import { calibrate, type Calibration } from '../../src/core/calibration/calibrate.js';
import { defaultPaths, loadConfiguration } from '../../src/core/configuration/configuration.js';
import { cli } from '../helpers/cli.js';
import { scratch } from '../helpers/trace-files.js';
import { synthesiseAcdLog, writeAcdCsv } from './synthetic-acd-log.js';
import { CENTRE } from './synthetic-centre.js';

const tmp = scratch();
let cal: Calibration;
let result: Backtest;
let oneDay: string;

beforeAll(async () => {
  const file = `${tmp.dir}/log.csv`;
  writeAcdCsv(file, synthesiseAcdLog(CENTRE).rows);
  const { calls, stats } = readAcdLog(file);
  cal = calibrate(calls, stats, { intervalMin: 30 });
  result = await backtest(cal, { replications: 10, seed: 1, config: loadConfiguration(defaultPaths()) });
  oneDay = `${tmp.dir}/one-day.csv`;
  writeAcdCsv(oneDay, synthesiseAcdLog({ ...CENTRE, days: 1, seed: 5 }).rows);
}, 600_000);

describe('backtest: the calibrated scenario replayed against the log it came from', () => {
  it('reproduces the log\'s service level and abandonment within 2 points overall', () => {
    const o = result.overall;
    expect(o.real.offered).toBeGreaterThanOrEqual(20_000);
    expect(Math.abs(o.errorPp.serviceLevel!), JSON.stringify(o)).toBeLessThanOrEqual(2);
    expect(Math.abs(o.errorPp.abandonRate!), JSON.stringify(o)).toBeLessThanOrEqual(2);
  });

  it('reports each day and each interval of the day, real beside simulated', () => {
    expect(result.byDay.map((d) => d.date)).toEqual(cal.days.map((d) => d.date));
    expect(result.byInterval[0]).toMatchObject({ start: '08:00', real: { offered: expect.any(Number) } });
    for (const d of result.byDay) expect(Math.abs(d.errorPp.serviceLevel!), d.date).toBeLessThanOrEqual(5);
  });

  it('replications differ in their patience and retrial draws: the replications spread', () => {
    const ab = result.overall.simulatedIntervals.abandonRate;
    expect(ab.p975!).toBeGreaterThan(ab.p025!);
    expect(ab.ciLow!).toBeLessThanOrEqual(result.overall.simulated.abandonRate!);
    expect(ab.ciHigh!).toBeGreaterThanOrEqual(result.overall.simulated.abandonRate!);
  });
});

describe('ivr-sim calibrate LOG --backtest', () => {
  it('--json gives overall, byInterval and byDay with real, simulated, intervals and errors; the same seed the same output', async () => {
    const r = await cli('calibrate', oneDay, '--backtest', '--replications', '3', '--json');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.out) as Backtest;
    expect(Object.keys(b.overall).sort()).toEqual(['errorAsaPct', 'errorPp', 'real', 'simulated', 'simulatedIntervals']);
    expect(Object.keys(b.overall.real).sort()).toEqual(['abandonRate', 'asaSec', 'offered', 'serviceLevel']);
    expect(Object.keys(b.overall.simulatedIntervals).sort()).toEqual(['abandonRate', 'asaSec', 'serviceLevel']);
    expect(Object.keys(b.overall.simulatedIntervals.serviceLevel).sort()).toEqual(['ciHigh', 'ciLow', 'p025', 'p975']);
    expect(b.byDay).toHaveLength(1);
    expect(b.byInterval.length).toBeGreaterThan(20);
    expect((await cli('calibrate', oneDay, '--backtest', '--replications', '3', '--json')).out).toBe(r.out);
  });

  it('with --out as well, writes backtest.json and adds the backtest to calibration.html', async () => {
    const out = `${tmp.dir}/with-backtest`;
    const r = await cli('calibrate', oneDay, '--out', out, '--backtest', '--replications', '2');
    expect(r.code).toBe(0);
    const b = JSON.parse(readFileSync(`${out}/backtest.json`, 'utf8')) as Backtest;
    expect(b.replications).toBe(2);
    const html = readFileSync(`${out}/calibration.html`, 'utf8');
    expect(html).toContain('Backtest: the log replayed on its calibration');
    expect(html).toContain('Service level by interval of the day, real and simulated');
  });

  it('a bad --replications is refused before anything runs', async () => {
    const out = `${tmp.dir}/bad-replications`;
    const r = await cli('calibrate', oneDay, '--out', out, '--backtest', '--replications', '1');
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('prints a table of real against simulated', async () => {
    const r = await cli('calibrate', oneDay, '--backtest', '--replications', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^overall\s+\d+\s+[\d.]+%\s+[\d.]+%/m);
    expect(r.out).toMatch(/^2026-03-02\s/m);
    expect(r.out).toMatch(/^09:30\s/m);
  });
});
