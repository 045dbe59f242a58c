import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/config/config-error.js';
import { UsageError } from '../../src/cli/cli-error.js';
import { bufferIO, type CliIO } from '../../src/cli/cli-io.js';
import { registerGenCommand } from '../../src/cli/commands/gen.js';
import { buildProgram } from '../../src/cli/main.js';

/** The real ivr-sim program; gen is added here until main.ts registers it. */
async function program(io: CliIO): Promise<Command> {
  const p = await buildProgram(io);
  if (!p.commands.some((c) => c.name() === 'gen')) {
    registerGenCommand(p, io);
    p.commands.at(-1)!.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  }
  return p;
}

async function gen(...args: string[]) {
  const io = bufferIO();
  await (await program(io)).parseAsync(['gen', ...args], { from: 'user' });
  return io;
}

const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-gen-'));

describe('ivr-sim gen', () => {
  it('writes a JSON Lines trace to stdout, the same for the same seed, and nothing else', async () => {
    const a = await gen('--calls', '50', '--seed', '9');
    const b = await gen('--calls', '50', '--seed', '9');
    const lines = a.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    expect(JSON.parse(lines[0]!)).toMatchObject({ callId: 'c000001', arrivalSec: expect.any(Number), caller: expect.any(String), talkSec: expect.any(Number) });
    expect(b.stdout).toBe(a.stdout);
    expect(a.stderr).toBe('');
  });

  it('--out writes the same bytes to a file and says so on stderr', async () => {
    const file = join(dir, 'out.jsonl');
    const io = await gen('--calls', '500', '--seed', '9', '--rate-per-hour', '600', '--out', file);
    const stdout = await gen('--calls', '500', '--seed', '9', '--rate-per-hour', '600');
    expect(readFileSync(file, 'utf8')).toBe(stdout.stdout);
    expect(io.stdout).toBe('');
    expect(io.stderr).toBe(`ivr-sim gen: wrote 500 calls to ${file}\n`);
  });

  it('--start and --day-profile give arrivalTime lines shaped by the hour', async () => {
    const io = await gen('--calls', '5', '--seed', '1', '--day-profile', 'data/day-profile.json', '--start', '2025-03-03T20:00:00+08:00');
    expect(io.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { arrivalTime: string }).arrivalTime.slice(0, 13))).toEqual(new Array(5).fill('2025-03-03T20'));
  });

  it('--mix, --unknown and --behaviour steer who calls and what they do', async () => {
    const behaviour = JSON.parse(readFileSync('data/caller-behaviour.json', 'utf8')) as { behaviours: { weight: number; weightBySegment?: object; name: string }[] };
    for (const b of behaviour.behaviours) {
      b.weight = b.name === 'silence' ? 1 : 0;
      delete b.weightBySegment;
    }
    const file = join(dir, 'silent.json');
    writeFileSync(file, JSON.stringify(behaviour));
    const io = await gen('--calls', '200', '--seed', '3', '--mix', 'vip-diamond=1', '--unknown', '0', '--behaviour', file);
    const lines = io.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { caller: string; keys?: string });
    const diamonds = new Set(Array.from({ length: 25 }, (_, i) => `+86138000000${String(i + 1).padStart(2, '0')}`));
    expect(lines.every((l) => diamonds.has(l.caller) && l.keys === undefined)).toBe(true);
  });

  it.each([
    [['--calls', '0', '--seed', '1'], '--calls 0: expected at least 1'],
    [['--calls', '10', '--seed', '1.5'], '--seed 1.5: expected an integer'],
    [['--calls', '10', '--seed', '1', '--mix', 'vip-gold'], '--mix "vip-gold": expected segment=share'],
    [['--calls', '10', '--seed', '1', '--mix', 'platinum=0.2'], 'mix: no customer is in segment "platinum"; segments: vip-diamond'],
    [['--calls', '10', '--seed', '1', '--unknown', '1.5'], '--unknown 1.5: expected a share between 0 and 1'],
    [['--calls', '10', '--seed', '1', '--start', 'tomorrow'], 'start "tomorrow": expected an ISO-8601 date-time with a UTC offset'],
  ])('refuses wrong usage: %j', async (args, message) => {
    const failure = gen(...args);
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow(message);
  });

  it('refuses a bad day profile with the file and the path in it', async () => {
    const file = join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify({ unit: 'callsPerHour', hours: [1, 2] }));
    const failure = gen('--calls', '10', '--seed', '1', '--day-profile', file);
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({ issues: [{ file, path: '/hours', message: expect.stringContaining('fewer than 24 items') }] });
  });

  it('the shipped sample trace is exactly what the command recorded in docs/trace-format.md writes', async () => {
    const docs = readFileSync('docs/trace-format.md', 'utf8');
    const command = /^\s*ivr-sim gen (.*) --out data\/traces\/sample\.jsonl$/m.exec(docs);
    expect(command, 'the docs record the command that made data/traces/sample.jsonl').not.toBeNull();
    const io = await gen(...command![1]!.split(/\s+/));
    expect(io.stdout).toBe(readFileSync('data/traces/sample.jsonl', 'utf8'));
  });
});
