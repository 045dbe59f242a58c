import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerErlangCommand } from '../../src/cli/commands/erlang.js';
import { agentsForServiceLevel, erlangC } from '../../src/core/staffing/erlang-c.js';
import { erlangA } from '../../src/core/staffing/erlang-a.js';

interface Run {
  stdout: string;
  stderr: string;
  exitCode: number;
}

async function run(...args: string[]): Promise<Run> {
  const result = { stdout: '', stderr: '', exitCode: 0 };
  const program = new Command('ivr-sim')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void (result.stdout += s), writeErr: (s) => void (result.stderr += s) });
  registerErlangCommand(program);
  try {
    await program.parseAsync(['erlang', ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    result.exitCode = error.exitCode;
  }
  return result;
}

describe('ivr-sim erlang', () => {
  it('prints Erlang C figures for a head count as JSON', async () => {
    const { stdout, exitCode } = await run('--calls-per-hour', '600', '--aht', '180', '--agents', '35', '--threshold', '30', '--json');
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual(erlangC({ callsPerHour: 600, ahtSec: 180, agents: 35, thresholdSec: 30 }));
  });

  it('finds the fewest agents for a target service level', async () => {
    const { stdout } = await run('--calls-per-hour', '600', '--aht', '180', '--target-sl', '0.9', '--threshold', '15', '--json');
    const figures = JSON.parse(stdout);
    expect(figures.agents).toBe(agentsForServiceLevel(600, 180, 0.9, 15).agents);
    expect(figures.serviceLevel).toBeGreaterThanOrEqual(0.9);
  });

  it('aims for 80% within 30 s when given neither a head count nor a target', async () => {
    const { stdout } = await run('--calls-per-hour', '600', '--aht', '180', '--json');
    expect(JSON.parse(stdout).agents).toBe(agentsForServiceLevel(600, 180, 0.8, 30).agents);
  });

  it('uses Erlang A with a patience and reports the share of callers who hang up', async () => {
    const { stdout } = await run('--calls-per-hour', '600', '--aht', '180', '--agents', '30', '--patience', '120', '--json');
    const figures = JSON.parse(stdout);
    expect(figures).toEqual(erlangA({ callsPerHour: 600, ahtSec: 180, agents: 30, thresholdSec: 30, patienceSec: 120 }));
    expect(figures.pAbandon).toBeGreaterThan(0);
  });

  it('prints a short readable table by default', async () => {
    const { stdout } = await run('--calls-per-hour', '600', '--aht', '180', '--agents', '35', '--threshold', '30');
    expect(stdout).toContain('Erlang C: 600 calls/h, AHT 180 s, 35 agents');
    expect(stdout).toMatch(/ {2}traffic +30\.00 Erlangs/);
    expect(stdout).toMatch(/ {2}service level +\d+\.\d% answered within 30 s/);
    expect(stdout).toMatch(/ {2}ASA +\d+\.\d s/);
    expect(stdout).toMatch(/ {2}occupancy +85\.7%/);
  });

  it('says plainly when too few agents leave the queue growing without limit', async () => {
    const table = await run('--calls-per-hour', '600', '--aht', '180', '--agents', '30');
    expect(table.stdout).toMatch(/ASA +unbounded/);
    const json = JSON.parse((await run('--calls-per-hour', '600', '--aht', '180', '--agents', '30', '--json')).stdout);
    expect(json).toMatchObject({ pWait: 1, serviceLevel: 0, asaSec: null });
  });

  it('rejects bad usage with a clear message and exit code 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--aht', '180'], /--calls-per-hour/],
      [['--calls-per-hour', 'many', '--aht', '180'], /calls per hour must be a number >= 0/],
      [['--calls-per-hour', '600', '--aht', '0'], /handle time must be a number of seconds > 0/],
      [['--calls-per-hour', '600', '--aht', '180', '--agents', '3.5'], /agents must be a whole number/],
      [['--calls-per-hour', '600', '--aht', '180', '--target-sl', '80'], /target service level must be a fraction between 0 and 1/],
      [['--calls-per-hour', '600', '--aht', '180', '--patience', '-5'], /patience must be a number of seconds > 0/],
      [['--calls-per-hour', '600', '--aht', '180', '--agents', '35', '--target-sl', '0.8'], /either --agents or --target-sl, not both/],
      [['--calls-per-hour', '600', '--aht', '180', '--agnets', '35'], /unknown option '--agnets'/],
    ];
    for (const [args, message] of cases) {
      const { stdout, stderr, exitCode } = await run(...args);
      expect(exitCode, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
      expect(stdout).toBe('');
    }
  });
});
