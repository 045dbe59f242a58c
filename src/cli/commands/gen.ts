import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { loadConfiguration, PACKAGE_ROOT } from '../../core/configuration/configuration.js';
import type { ArrivalRate } from '../../core/trace/arrival-process.js';
import { loadCallerBehaviour } from '../../core/trace/caller-behaviour.js';
import { CallerPopulation } from '../../core/trace/caller-population.js';
import { loadDayProfile } from '../../core/trace/day-profile.js';
import { TraceGenerationError } from '../../core/trace/trace-generation-error.js';
import { DEFAULT_UNKNOWN_SHARE, formatTraceLine, TraceGenerator } from '../../core/trace/trace-generator.js';
import { UsageError } from '../cli-error.js';
import { processIO, type CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';
import { checkOutputPath, OutputWriteError } from '../output-path.js';

interface GenFlags extends ConfigFlags {
  calls: string;
  seed: string;
  ratePerHour?: string;
  dayProfile?: string;
  mix?: string;
  unknown: string;
  behaviour: string;
  out?: string;
  start?: string;
}

export const DEFAULT_RATE_PER_HOUR = 1000;
const DEFAULT_BEHAVIOUR = join(PACKAGE_ROOT, 'data', 'caller-behaviour.json');
/** Output is written in pieces of about this many characters. */
const CHUNK = 64 * 1024;

export function registerGenCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('gen')
      .description('write a synthetic call trace (JSON Lines): Poisson arrivals, callers from the customers file by segment, key presses from a behaviour file')
      .requiredOption('--calls <n>', 'number of calls')
      .requiredOption('--seed <s>', 'random seed (an integer); the same seed and options give the same trace, byte for byte')
      .option('--rate-per-hour <r>', `constant arrival rate (default ${DEFAULT_RATE_PER_HOUR}); with --day-profile, the day's average hourly rate`)
      .option('--day-profile <file>', 'hourly arrival profile, e.g. data/day-profile.json (see docs/trace-format.md)')
      .option('--mix <shares>', 'share of known callers per segment, e.g. "vip-gold=0.05,campus=0.2"; other segments share the rest naturally')
      .option('--unknown <share>', 'share of callers whose number is not in the customers file', String(DEFAULT_UNKNOWN_SHARE))
      .option('--behaviour <file>', 'what callers do: keys, handle times, patience, IVR hang-ups', DEFAULT_BEHAVIOUR)
      .option('--start <iso>', 'start date-time with offset, e.g. 2025-03-03T09:00:00+08:00: lines get arrivalTime and the day profile is read from that hour (default: arrivalSec from 00:00)')
      .option('--out <file>', 'write the trace to this file instead of stdout'),
  ).action(async (flags: GenFlags) => {
    const calls = wholeNumber('--calls', flags.calls);
    const seed = integer('--seed', flags.seed);
    const ratePerHour = flags.ratePerHour === undefined ? undefined : positive('--rate-per-hour', flags.ratePerHour);
    const unknownShare = share('--unknown', flags.unknown);
    const mix = flags.mix === undefined ? undefined : parseMix(flags.mix);
    const out = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'file');

    const rate: ArrivalRate = flags.dayProfile
      ? { profile: loadDayProfile(resolve(flags.dayProfile)), ...(ratePerHour !== undefined ? { ratePerHour } : {}) }
      : { ratePerHour: ratePerHour ?? DEFAULT_RATE_PER_HOUR };
    const behaviour = loadCallerBehaviour(resolve(flags.behaviour));
    const population = CallerPopulation.fromConfiguration(loadConfiguration(configPaths(flags)));
    let generator: TraceGenerator;
    try {
      generator = new TraceGenerator({
        calls,
        seed,
        rate,
        population,
        behaviour,
        unknownShare,
        ...(mix ? { mix } : {}),
        ...(flags.start !== undefined ? { start: flags.start } : {}),
      });
    } catch (err) {
      if (err instanceof TraceGenerationError) throw new UsageError(err.message);
      throw err;
    }

    // The real stdout is written as a stream, so a slow reader holds the generator back instead
    // of output piling up in memory; a test's captured io just collects the text.
    // A file is written under a temporary name and renamed when complete: never half-written.
    const tmp = out === undefined ? undefined : `${out}.tmp-${process.pid}`;
    if (tmp) mkdirSync(dirname(tmp), { recursive: true });
    const sink = tmp
      ? streamSink(createWriteStream(tmp), true, (e) => notWritten(`--out ${flags.out}: ${e.message}`))
      : io === processIO
        ? streamSink(process.stdout, false, (e) => new UsageError(`stdout: ${e.message}`))
        : { write: async (t: string) => io.out(t), close: async () => undefined, stopped: () => false };
    const bar = io.interactive ? new cliProgress.SingleBar({ stream: process.stderr, format: 'gen [{bar}] {percentage}% | {value}/{total} calls | ETA {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(calls, 0);
    let buffer = '';
    let n = 0;
    let complete = false;
    try {
      for (const line of generator) {
        buffer += formatTraceLine(line) + '\n';
        if (buffer.length >= CHUNK) {
          await sink.write(buffer);
          buffer = '';
          if (sink.stopped()) break;
        }
        if (++n % 1000 === 0) bar?.update(n);
      }
      if (buffer && !sink.stopped()) await sink.write(buffer);
      await sink.close();
      if (tmp) {
        try {
          renameSync(tmp, out!);
        } catch (err) {
          throw notWritten(`--out ${flags.out}: ${(err as Error).message}`);
        }
      }
      complete = true;
    } finally {
      bar?.update(n);
      bar?.stop();
      if (!complete) {
        await sink.close().catch(() => undefined);
        if (tmp) rmSync(tmp, { force: true });
      }
    }
    if (flags.out) io.err(`ivr-sim gen: wrote ${n} calls to ${flags.out}\n`);
  });
}

interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** The reader went away (stdout piped into `head`): stop generating, quietly. */
  stopped(): boolean;
}

/** A trace file that could not be written: the run is cheap to repeat, so nothing is printed instead. */
function notWritten(what: string): OutputWriteError {
  return new OutputWriteError(`${what}; nothing was written (the same --seed and options give the same trace again)`);
}

/** Writes to a stream, waiting whenever it falls behind so that memory stays flat. */
function streamSink(stream: NodeJS.WritableStream, end: boolean, failed: (err: NodeJS.ErrnoException) => Error): Sink {
  let failure: NodeJS.ErrnoException | undefined;
  const onError = (err: NodeJS.ErrnoException) => (failure = err);
  stream.on('error', onError);
  const closedByReader = () => failure?.code === 'EPIPE';
  const check = () => {
    if (failure && !closedByReader()) throw failed(failure);
  };
  return {
    async write(text) {
      check();
      if (!closedByReader() && !stream.write(text)) await drained(stream);
      check();
    },
    async close() {
      if (end) {
        stream.end();
        await finished(stream).catch(() => undefined);
      }
      stream.off('error', onError);
      check();
    },
    stopped: closedByReader,
  };
}

/** Resolves when the stream wants more, or has failed or closed; leaves no listener behind. */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) stream.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.on(event, done);
  });
}

/** `vip-gold=0.05,campus=0.2` as segment → share. */
export function parseMix(text: string): Map<string, number> {
  const mix = new Map<string, number>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)\s*=\s*(.+)$/.exec(part);
    if (!m) throw new UsageError(`--mix "${part}": expected segment=share, e.g. vip-gold=0.05`);
    if (mix.has(m[1]!)) throw new UsageError(`--mix names "${m[1]}" twice`);
    mix.set(m[1]!, share(`--mix ${m[1]}`, m[2]!));
  }
  return mix;
}

function number(flag: string, text: string): number {
  const x = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(x)) throw new UsageError(`${flag} ${text}: expected a number`);
  return x;
}

function integer(flag: string, text: string): number {
  const x = number(flag, text);
  if (!Number.isInteger(x)) throw new UsageError(`${flag} ${text}: expected an integer`);
  return x;
}

function wholeNumber(flag: string, text: string): number {
  const x = integer(flag, text);
  if (x < 1) throw new UsageError(`${flag} ${text}: expected at least 1`);
  return x;
}

function positive(flag: string, text: string): number {
  const x = number(flag, text);
  if (!(x > 0)) throw new UsageError(`${flag} ${text}: expected a number above 0`);
  return x;
}

function share(flag: string, text: string): number {
  const x = number(flag, text);
  if (x < 0 || x > 1) throw new UsageError(`${flag} ${text}: expected a share between 0 and 1`);
  return x;
}
