import { execFile } from 'node:child_process';
import { distIsFresh } from '../helpers/fresh-dist.js';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';
import { ConfigError } from '../../src/core/config/config-error.js';
import { loadConfiguration, PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { CallDecider } from '../../src/core/decision/call-decider.js';
import { decideTraceCall, type CompactDecision } from '../../src/core/replay/compact-decision.js';
import { DecideWorkerClient } from '../../src/core/replay/decide-worker-client.js';
import { BatchDecoder, BatchEncoder, transferables } from '../../src/core/replay/decided-batch-wire.js';
import type { DecideWorkerInit } from '../../src/core/replay/decide-worker.js';
import { decideHere, decideTrace, type DecidedBatch, type TraceBatch, type UndecidedBatch } from '../../src/core/replay/decided-batches.js';
import type { QueueBehaviour } from '../../src/core/behaviour/queue-behaviour.js';
import { ReplayRun, type Scenario } from '../../src/core/replay/replay-run.js';
import { PARALLEL_MIN_BYTES, replayTrace, type ReplayOptions } from '../../src/core/replay/replay-trace.js';
import { reviveError, serializeError } from '../../src/core/replay/worker-error.js';
import { loadContactPolicy } from '../../src/core/sms/contact-policy-file.js';
import { loadStaffingFile } from '../../src/core/staffing/staffing-file.js';
import { readTrace } from '../../src/core/trace/trace-reader.js';
import { TraceError } from '../../src/core/trace/trace-error.js';
import { copyConfig } from '../helpers/config-copy.js';
import { scratch } from '../helpers/trace-files.js';

/**
 * Replays of large traces decide calls in a worker thread. Vitest runs the TypeScript sources,
 * and a worker thread cannot load those, so these specifications run the worker from a build:
 * dist/ when it is up to date with src/, else a private build made here (and removed after).
 * The built CLI is spawned for the end-to-end cases (IVR_SIM_REPLAY_WORKERS=1 makes it use the
 * worker for small traces too); the rest call replayTrace with `workerUrl` pointing at the build.
 */
interface Build {
  /** Script that runs the built CLI: node <cli> <args>. */
  cli: string;
  workerUrl: URL;
  remove(): void;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, maxBuffer: 256 * 2 ** 20 }, (error, out, err) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

async function compiledBuild(): Promise<Build> {
  if (distIsFresh()) {
    return { cli: join(PACKAGE_ROOT, 'bin', 'ivr-sim.js'), workerUrl: pathToFileURL(join(PACKAGE_ROOT, 'dist', 'core', 'replay', 'decide-worker.js')), remove() {} };
  }
  // Inside the package, so the build finds the package root and node_modules as dist/ does.
  const cache = join(PACKAGE_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'ivr-sim-build-'));
  const tsc = await run(process.execPath, [join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', dir]);
  if (!existsSync(join(dir, 'cli', 'main.js'))) throw new Error(`the build for the worker failed:\n${tsc.out}${tsc.err}`);
  const cli = join(dir, 'ivr-sim.mjs');
  writeFileSync(cli, `const { main } = await import('./cli/main.js');\nawait main(process.argv.slice(2));\n`);
  return { cli, workerUrl: pathToFileURL(join(dir, 'core', 'replay', 'decide-worker.js')), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let build: Build;
let tmp: ReturnType<typeof scratch>;
/** Generated traces: arrivalSec from midnight, and arrivalTime from a morning (the clock offset path). */
let generated: string;
let generatedTimed: string;

beforeAll(async () => {
  tmp = scratch();
  generated = join(tmp.dir, 'gen.jsonl');
  generatedTimed = join(tmp.dir, 'gen-timed.jsonl');
  const gen = (out: string, ...extra: string[]) => runCli(['gen', '--calls', '2500', '--seed', '11', '--day-profile', 'data/day-profile.json', '--out', out, ...extra], bufferIO());
  expect(await gen(generated)).toBe(0);
  expect(await gen(generatedTimed, '--start', '2025-03-03T09:00:00+08:00')).toBe(0);
  build = await compiledBuild();
}, 180_000);

afterAll(() => {
  tmp?.remove();
  build?.remove();
});

const inWorker = (...args: string[]) => run(process.execPath, [build.cli, ...args], { IVR_SIM_REPLAY_WORKERS: '1' });
const inThread = (...args: string[]) => run(process.execPath, [build.cli, ...args], { IVR_SIM_REPLAY_WORKERS: '0' });
async function inSources(...args: string[]) {
  const io = bufferIO();
  const code = await runCli(args, io);
  return { code, out: io.stdout, err: io.stderr };
}

describe('a replay decides calls in a worker thread and reports exactly what it reports in one thread', () => {
  it('the golden trace gives the same report, byte for byte, either way', async () => {
    const args = ['replay', 'data/traces/golden.jsonl', '--json', '--seed', '1'];
    const [worker, thread, noParallel, sources] = await Promise.all([inWorker(...args), inThread(...args), inWorker(...args, '--no-parallel'), inSources(...args)]);
    expect(worker.err).toBe('');
    expect(worker.code).toBe(0);
    expect(worker.out).toBe(thread.out);
    expect(worker.out).toBe(noParallel.out);
    expect(worker.out).toBe(sources.out);
  }, 60_000);

  it('so does a generated trace of more than one batch', async () => {
    const args = ['replay', generated, '--json', '--seed', '5', '--interval', '15'];
    const [worker, thread] = await Promise.all([inWorker(...args), inThread(...args)]);
    expect(worker.code).toBe(0);
    expect(JSON.parse(worker.out).calls).toBe(2500);
    expect(worker.out).toBe(thread.out);
  }, 60_000);

  it('compare finds the same differences and deltas either way', async () => {
    const copy = copyConfig();
    try {
      copy.edit('rules/segments.json', (f) => (f.rules.find((r: { name: string }) => r.name === '4g-customer').conditions.all[1].value = 1000));
      const args = ['compare', generated, '--baseline', '.', '--candidate', copy.dir, '--json'];
      const [worker, thread] = await Promise.all([inWorker(...args), inThread(...args)]);
      expect(worker.code).toBe(0);
      expect(JSON.parse(worker.out).decisions.different).toBeGreaterThan(0);
      expect(worker.out).toBe(thread.out);
    } finally {
      copy.remove();
    }
  }, 60_000);

  it('a malformed line deep in the trace fails the same way: same message, exit 1, nothing written', async () => {
    const lines = readFileSync(generated, 'utf8').trimEnd().split('\n');
    lines[2099] = lines[2099]!.replace(/"talkSec":[\d.]+/, '"talkSec":"long"');
    const bad = tmp.file('bad.jsonl', lines);
    const out = join(tmp.dir, 'out');
    const [worker, thread] = await Promise.all([inWorker('replay', bad, '--out', out), inThread('replay', bad, '--out', out)]);
    expect(worker.code).toBe(1);
    expect(worker.err).toContain('bad.jsonl:2100 at /talkSec');
    expect(worker.err).toBe(thread.err);
    expect(thread.code).toBe(1);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it('IVR_SIM_REPLAY_WORKERS takes 0 or 1', async () => {
    const r = await run(process.execPath, [build.cli, 'replay', 'data/traces/golden.jsonl'], { IVR_SIM_REPLAY_WORKERS: 'many' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('IVR_SIM_REPLAY_WORKERS=many: expected 0');
  });
});

describe('replayTrace with the worker', () => {
  const staffingFile = join(PACKAGE_ROOT, 'data', 'staffing.json');
  const info = { trace: 't', flowsDir: 'f', rulesDir: 'r', customersFile: 'c' };

  const worker = (): ReplayOptions => ({ parallel: true, workerUrl: build.workerUrl });

  async function report(trace: string | Readable, scenario: () => Promise<Scenario>, opts: ReplayOptions) {
    const runs = [new ReplayRun(await scenario()), new ReplayRun(await scenario())];
    const progress: number[] = [];
    const calls: string[] = [];
    const input = await replayTrace(trace, runs, { ...opts, progressEvery: 1000, onProgress: (n) => progress.push(n), onCall: (c) => calls.push(c.callId) });
    return { json: JSON.stringify(runs.map((r) => r.report(info, input))), progress, calls: calls.length };
  }

  it('applies a contact policy to the same texts, and reports progress at the same counts', async () => {
    const { staffing } = await loadStaffingFile(staffingFile);
    const config = loadConfiguration();
    const scenario = async (): Promise<Scenario> => ({ config, staffing, staffingSource: 's', seed: 2, contactPolicy: loadContactPolicy() });
    const [inWorker, inThread] = await Promise.all([report(generatedTimed, scenario, worker()), report(generatedTimed, scenario, { parallel: false })]);
    expect(JSON.parse(inWorker.json)[0].contactPolicy.requested).toBeGreaterThan(0);
    expect(inWorker.json).toBe(inThread.json);
    expect(inWorker.progress).toEqual(inThread.progress);
    expect(inWorker.progress).toEqual([1000, 2000, 2500]);
    expect(inWorker.calls).toBe(2500);
  });

  it('with a queue-behaviour model: the same patience draws and retries either way', async () => {
    const { staffing } = await loadStaffingFile(staffingFile);
    const config = loadConfiguration();
    const behaviour: QueueBehaviour = {
      patience: { default: { kind: 'weibull', shape: 0.9, scaleSec: 60 } },
      retrials: { probability: 0.3, delaySec: { kind: 'lognormal', meanSec: 240, cv: 1 } },
    };
    const scenario = async (): Promise<Scenario> => ({ config, staffing, staffingSource: 's', seed: 4, behaviour });
    const lines = readFileSync(generatedTimed, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { callId: string; patienceSec?: number; retryOf?: string; observed?: object });
    lines.forEach((l, i) => {
      delete l.patienceSec;
      if (i % 10 === 9) l.retryOf = lines[i - 1]!.callId;
      // What the log saw: a hang-up (no retry generated for it), an answer, or nothing.
      if (i % 3 === 0) l.observed = { answered: false, waitSec: 40 };
      else if (i % 3 === 1) l.observed = { answered: true, waitSec: 3 };
    });
    const withRetries = tmp.file('retries.jsonl', lines);
    const [inWorker, inThread] = await Promise.all([report(withRetries, scenario, worker()), report(withRetries, scenario, { parallel: false })]);
    const retrials = JSON.parse(inWorker.json)[0].retrials as { generated: number; recorded: number; suppressed: number };
    expect(retrials.recorded + retrials.suppressed).toBe(250);
    expect(retrials.generated).toBeGreaterThan(0);
    expect(inWorker.json).toBe(inThread.json);
  });

  it('keeps small traces and streams in this thread unless told otherwise', async () => {
    const { staffing } = await loadStaffingFile(staffingFile);
    const config = loadConfiguration();
    const scenario = async (): Promise<Scenario> => ({ config, staffing, staffingSource: 's', seed: 1 });
    // A worker that cannot start: these replays succeed only if they never ask for it.
    const nowhere = { workerUrl: pathToFileURL(join(tmp.dir, 'no-such-worker.js')) };
    expect(statSync(generated).size).toBeLessThan(PARALLEL_MIN_BYTES);
    const small = await report(generated, scenario, nowhere);
    const stream = await report(createReadStream(generated), scenario, { ...nowhere, parallel: true });
    expect(small.json).toBe((await report(generated, scenario, { parallel: false })).json);
    expect(stream.calls).toBe(2500);
    await expect(report(generated, scenario, { ...nowhere, parallel: true })).rejects.toThrow();
  });

  it('reads CSV, sorts, and skips bad lines as the reader does in this thread', async () => {
    const { staffing } = await loadStaffingFile(staffingFile);
    const config = loadConfiguration();
    const scenario = async (): Promise<Scenario> => ({ config, staffing, staffingSource: 's', seed: 3 });
    const lines = readFileSync(generated, 'utf8').trimEnd().split('\n');
    [lines[10], lines[11]] = [lines[11]!, lines[10]!];
    lines[2200] = '{not json';
    const shuffled = tmp.file('shuffled.jsonl', lines);
    for (const [trace, opts] of [
      ['data/traces/sample.csv', {}],
      [shuffled, { sort: true, onError: 'skip' }],
      [shuffled, { onError: 'skip' }],
    ] as const) {
      const [a, b] = await Promise.all([report(trace, scenario, { ...opts, ...worker() }), report(trace, scenario, { ...opts, parallel: false })]);
      expect(a.json).toBe(b.json);
    }
  });

  it('rethrows a bad trace as the TraceError the reader throws, with the same issues', async () => {
    const { staffing } = await loadStaffingFile(staffingFile);
    const config = loadConfiguration();
    const scenario = async (): Promise<Scenario> => ({ config, staffing, staffingSource: 's', seed: 1 });
    const lines = readFileSync(generated, 'utf8').trimEnd().split('\n');
    const failure = (trace: string, opts: ReplayOptions) => report(trace, scenario, opts).then(() => undefined, (e: unknown) => e);
    const duplicate = tmp.file('dup.jsonl', [...lines, lines[0]!]);
    const missing = join(tmp.dir, 'missing.jsonl');
    for (const trace of [duplicate, missing]) {
      const [inWorker, inThread] = await Promise.all([failure(trace, worker()), failure(trace, { parallel: false })]);
      expect(inWorker).toBeInstanceOf(TraceError);
      expect(inThread).toBeInstanceOf(TraceError);
      expect((inWorker as TraceError).message).toBe((inThread as TraceError).message);
      expect((inWorker as TraceError).issues).toEqual((inThread as TraceError).issues);
    }
    const dup = (await failure(duplicate, worker())) as TraceError;
    expect(dup.issues[0]).toMatchObject({ line: 2501, reason: 'duplicateCallId' });
  });

  it('rethrows a configuration the worker cannot load as the ConfigError loading it here gives', async () => {
    const copy = copyConfig();
    try {
      const { staffing } = await loadStaffingFile(staffingFile);
      const run = new ReplayRun({ config: loadConfiguration(copy.paths), staffing, staffingSource: 's', seed: 1 });
      copy.write('rules/routing.json', '{ "rules": [');
      const expected = (() => {
        try {
          loadConfiguration(copy.paths);
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('the broken copy loaded');
      })();
      const err = await replayTrace(generated, [run], worker()).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toBe(expected.message);
      expect((err as ConfigError).issues).toEqual(expected.issues);
    } finally {
      copy.remove();
    }
  });

  it('decides in this thread when the files on disk no longer hold the configuration the run loaded', async () => {
    const copy = copyConfig();
    try {
      const { staffing } = await loadStaffingFile(staffingFile);
      const config = loadConfiguration(copy.paths);
      const scenario = async (): Promise<Scenario> => ({ config, staffing, staffingSource: 's', seed: 1 });
      const before = await report(generated, scenario, { parallel: false });
      copy.edit('rules/segments.json', (f) => (f.rules.find((r: { name: string }) => r.name === '4g-customer').conditions.all[1].value = 1000));
      expect(loadConfiguration(copy.paths).version).not.toBe(config.version);
      expect((await report(generated, scenario, worker())).json).toBe(before.json);
    } finally {
      copy.remove();
    }
  });
});

describe('the decide worker', () => {
  async function startWorker(window: number, handOffBelow: number, seed = 1) {
    const { staffing } = await loadStaffingFile(join(PACKAGE_ROOT, 'data', 'staffing.json'));
    const config = loadConfiguration();
    const init: DecideWorkerInit = {
      trace: generated,
      reader: { onError: 'fail', sort: false, queues: staffing.queues.map((q) => q.id) },
      scenarios: [{ paths: config.paths, seed, recipients: false }],
      batchSize: 50,
      window,
      handOffBelow,
    };
    const client = await DecideWorkerClient.start(init, [config.version], build.workerUrl);
    expect(client).toBeDefined();
    return { client: client!, scenario: { config, staffing, staffingSource: 's', seed } satisfies Scenario };
  }

  it('never has more batches out than its window: it waits for the replay to take them', async () => {
    const window = 3;
    const { client } = await startWorker(window, 0);
    let calls = 0;
    let batches = 0;
    for await (const batch of client.batches()) {
      calls += batch.calls.length;
      // Hold each of the first batches until the worker has filled its window behind it.
      if (++batches <= 10) while (client.queued < window - 1) await new Promise((r) => setTimeout(r, 5));
      expect(client.queued).toBeLessThanOrEqual(window - 1);
    }
    expect(calls).toBe(2500);
    expect(batches).toBe(50);
    expect(client.peakInFlight).toBe(window);
    expect(client.stalls).toBeGreaterThanOrEqual(10);
    expect(client.inputInfo()).toMatchObject({ calls: 2500, skipped: 0 });
  });

  it('hands batches undecided to the replay when asked to, and the replay decides them the same', async () => {
    const info = { trace: 't', flowsDir: 'f', rulesDir: 'r', customersFile: 'c' };
    const reports: string[] = [];
    const handedOff: number[] = [];
    // 0: the worker decides every batch; 5 (more than the window): none; 2: as replays do.
    for (const handOffBelow of [0, 5, 2]) {
      const { client, scenario } = await startWorker(4, handOffBelow, 4);
      const run = new ReplayRun(scenario);
      let undecided = 0;
      for await (const batch of client.batches()) {
        if ('inputs' in batch) undecided++;
        for (const decided of decideHere(batch, [(c) => run.decide(c)])) decided.calls.forEach((c, i) => run.offer(c, decided.decisions[i]![0]!));
      }
      handedOff.push(undecided);
      reports.push(JSON.stringify(run.report(info, client.inputInfo())));
    }
    expect(handedOff.slice(0, 2)).toEqual([0, 50]);
    const { scenario } = await startWorker(1, 0, 4);
    const run = new ReplayRun(scenario);
    const input = await replayTrace(generated, [run], { parallel: false });
    for (const r of reports) expect(r).toBe(JSON.stringify(run.report(info, input)));
  });
});

/** A batch as its types describe it: in this thread, decisions view the decider's own objects, which hold more. */
function asTyped(b: TraceBatch): TraceBatch {
  const calls = b.calls.map(({ callId, arrivalSec, talkSec, wrapSec, patienceSec, queue, priority }) =>
    JSON.parse(JSON.stringify({ callId, arrivalSec, talkSec, wrapSec, patienceSec, queue, priority })),
  );
  const origin = b.origin ? { origin: b.origin } : {};
  if ('inputs' in b) return { calls, inputs: b.inputs, ...origin };
  const decisions = b.decisions.map((row) =>
    row.map((d) => {
      if (d === null) return null;
      const { segment, outcome, ivrSec, hotKey, route, sms, tags, recipient } = d;
      const typed: CompactDecision = { segment, outcome, ivrSec, hotKey, route: route && { queue: route.queue, priority: route.priority, overflow: route.overflow }, sms: sms.map((m) => ({ template: m.template, class: m.class })), tags };
      return recipient ? { ...typed, recipient } : typed;
    }),
  );
  return { calls, decisions, ...origin };
}

describe('between threads', () => {
  it('a batch crosses as typed arrays and comes out equal, decided or not, decision shapes sent once', async () => {
    const config = loadConfiguration();
    const deciders = [new CallDecider(config), new CallDecider(config)];
    const lines = readFileSync(generatedTimed, 'utf8').trimEnd().split('\n');
    lines[7] = JSON.stringify({ ...JSON.parse(lines[7]!), language: 'en-US', hangupInIvrSec: 4, keys: [{ key: '1', afterSec: 0.5 }, { key: '#' }] });
    lines[8] = JSON.stringify({ ...JSON.parse(lines[8]!), caller: undefined, profile: { phone: '+8613900000009', network: '5G', timeZone: 'Asia/Shanghai' } });
    const acd = { callId: 'a1', arrivalTime: JSON.parse(lines.at(-1)!).arrivalTime, queue: 'general', priority: 40, talkSec: 60, wrapSec: 5 };
    const trace = tmp.file('mixed.jsonl', [...lines, acd]);
    const batches: TraceBatch[] = [];
    let n = 0;
    const everyOther = () => n++ % 2 === 0;
    for await (const b of decideTrace(readTrace(trace, {}), [(c) => decideTraceCall(deciders[0]!, 1, c, true), (c) => decideTraceCall(deciders[1]!, 9, c, false)], 100, everyOther)) batches.push(b);
    const encoder = new BatchEncoder(2);
    const decoder = new BatchDecoder(2);
    let shapes = 0;
    for (const b of batches) {
      const wire = encoder.encode(b);
      shapes += wire.decided?.newShapes.length ?? 0;
      expect(decoder.decode(structuredClone(wire, { transfer: transferables(wire) }))).toStrictEqual(asTyped(b));
    }
    const decided = batches.filter((b): b is DecidedBatch => 'decisions' in b);
    const undecided = batches.filter((b): b is UndecidedBatch => 'inputs' in b);
    expect(decided.length).toBe(13);
    expect(undecided.length).toBe(13);
    expect(batches[0]!.origin).toBeDefined();
    expect(undecided[0]!.inputs[7]).toMatchObject({ language: 'en-US', hangupInIvrSec: 4, keys: [{ key: '1', afterSec: 0.5 }, { key: '#' }] });
    expect(undecided[0]!.inputs[8]!.profile).toMatchObject({ network: '5G' });
    expect(decided.at(-1)!.decisions.at(-1)).toEqual([null, null]);
    expect(decided.at(-1)!.calls.at(-1)).toEqual({ callId: 'a1', arrivalSec: expect.any(Number), talkSec: 60, wrapSec: 5, queue: 'general', priority: 40 });
    expect(decided.flatMap((b) => b.decisions).some(([d]) => d?.recipient)).toBe(true);
    expect(shapes).toBeLessThan(2500 / 4);
  });

  it('a batch encoded call by call as it is decided crosses as the same batch encoded whole', async () => {
    const decider = new CallDecider(loadConfiguration());
    const decide = (c: Parameters<typeof decideTraceCall>[2]) => decideTraceCall(decider, 1, c, true);
    const batches: TraceBatch[] = [];
    for await (const b of decideTrace(readTrace(generatedTimed, {}), [decide], 100)) batches.push(b);
    const whole = new BatchEncoder(1);
    const byCall = new BatchEncoder(1, 16);
    const decoder = new BatchDecoder(1);
    for (const b of batches.slice(0, 3)) {
      const d = b as DecidedBatch;
      byCall.begin(false);
      d.calls.forEach((c, i) => byCall.addDecided(c, c.arrivalSec, d.decisions[i]!));
      const wire = byCall.take(d.origin);
      expect(decoder.decode(structuredClone(wire, { transfer: transferables(wire) }))).toStrictEqual(asTyped(b));
      expect(wire.decided!.newShapes).toEqual(whole.encode(b).decided!.newShapes);
    }
    expect(() => byCall.addDecided(batches[0]!.calls[0]!, 0, [null])).toThrow(/begun/);
  });

  it('the replay decides a handed-over batch a few calls at a time, in order', async () => {
    const decider = new CallDecider(loadConfiguration());
    const batches: TraceBatch[] = [];
    for await (const b of decideTrace(readTrace(generatedTimed, {}), [], 150, () => true)) batches.push(b);
    const batch = batches[0] as UndecidedBatch;
    const chunks = [...decideHere(batch, [(c) => decideTraceCall(decider, 1, c, false)])];
    expect(chunks.map((c) => c.calls.length)).toEqual([64, 64, 22]);
    expect(chunks.flatMap((c) => c.calls)).toEqual(batch.calls);
    expect(chunks[0]!.origin).toEqual(batch.origin);
    expect(chunks.flatMap((c) => c.decisions).map(([d]) => d?.segment)).toEqual(batch.inputs.map((i) => decideTraceCall(decider, 1, i, false)?.segment));
  });

  it('errors keep their class, message, issues and exit code', () => {
    const trace = new TraceError('TRACE_INVALID', 't.jsonl', [{ line: 3, field: '/talkSec', message: 'must be a number', reason: 'schema' }], true);
    const config = new ConfigError([{ file: 'rules/routing.json', path: '/rules/0', message: 'bad', severity: 'error' }]);
    const other = Object.assign(new RangeError('out of range'), { exitCode: 3, code: 'X' });
    const back = [trace, config, other].map((e) => reviveError(structuredClone(serializeError(e))));
    expect(back[0]).toBeInstanceOf(TraceError);
    expect(back[0]).toMatchObject({ message: trace.message, issues: trace.issues, truncated: true, exitCode: 1 });
    expect(back[1]).toBeInstanceOf(ConfigError);
    expect(back[1]).toMatchObject({ message: config.message, issues: config.issues });
    expect(back[2]).toMatchObject({ name: 'RangeError', message: 'out of range', exitCode: 3, code: 'X' });
  });
});

describe('retries between threads', () => {
  it('a call keeps the callId it retries on the wire; batches without retries carry no column for it', () => {
    const encoder = new BatchEncoder(1);
    const decoder = new BatchDecoder(1);
    const withRetry: TraceBatch = {
      calls: [
        { callId: 'a', arrivalSec: 0, talkSec: 60, queue: 'general' },
        { callId: 'b', arrivalSec: 90, talkSec: 60, queue: 'general', retryOf: 'a' },
      ],
      decisions: [[null], [null]],
    };
    const wire = encoder.encode(withRetry);
    expect(decoder.decode(structuredClone(wire, { transfer: transferables(wire) }))).toStrictEqual(withRetry);
    expect(encoder.encode({ calls: [{ callId: 'c', arrivalSec: 0, talkSec: 1 }], decisions: [[null]] }).retryOf).toBeUndefined();
  });

  it('a call keeps whether the log saw it answered (observed.answered); batches without it carry no column for it', () => {
    const encoder = new BatchEncoder(1);
    const decoder = new BatchDecoder(1);
    const observed: TraceBatch = {
      calls: [
        { callId: 'a', arrivalSec: 0, talkSec: 60, queue: 'general', observed: { answered: false } },
        { callId: 'b', arrivalSec: 5, talkSec: 60, queue: 'general' },
        { callId: 'c', arrivalSec: 9, talkSec: 60, queue: 'general', observed: { answered: true } },
      ],
      decisions: [[null], [null], [null]],
    };
    const wire = encoder.encode(observed);
    expect(decoder.decode(structuredClone(wire, { transfer: transferables(wire) }))).toStrictEqual(observed);
    expect(encoder.encode({ calls: [{ callId: 'd', arrivalSec: 0, talkSec: 1 }], decisions: [[null]] }).answered).toBeUndefined();
  });
});
