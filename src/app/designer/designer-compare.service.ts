import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { PACKAGE_ROOT } from '../../core/config/package-root.js';
import { writeConfigDirectory } from '../../core/editing/draft-directory.js';
import { NamedError } from '../../core/errors/named-error.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV, CLI_SCRIPT, LOGGER } from '../tokens.js';
import { readEditRequest } from './designer-edit-request.js';
import { DesignerEditService } from './designer-edit.service.js';
import { DesignerDraftInvalidError } from './designer-errors.js';

/** The traces a comparison may replay: `data/traces/<name>.jsonl`. */
const TRACE_DIR = join(PACKAGE_ROOT, 'data', 'traces');
const DEFAULT_REPLICATIONS = 20;
const MAX_REPLICATIONS = 200;
/** Changed calls sent back with the comparison (the count says how many there are in all). */
const MAX_CHANGED_CALLS = 200;
/** A comparison still running after this long is stopped. */
const COMPARE_TIMEOUT_MS = 300_000;

/** A comparison is running already; they take most of the machine, so one at a time. HTTP 429. */
export class DesignerCompareBusyError extends NamedError {
  readonly code = 'DESIGNER_COMPARE_BUSY';
  constructor() {
    super('a comparison is running already; try again when it has finished');
    this.name = 'DesignerCompareBusyError';
  }
}

/** The comparison process failed. HTTP 500, with what it said. */
export class DesignerCompareFailedError extends NamedError {
  readonly code = 'DESIGNER_COMPARE_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'DesignerCompareFailedError';
  }
}

/** What `ivr-sim compare --json` prints, as far as the editor passes it on. */
interface CliCompare {
  baseline: { configVersion: string; overall: Record<string, unknown> };
  candidate: { configVersion: string; overall: Record<string, unknown> };
  delta: unknown;
  decisions: unknown;
  changedCalls: { count: number } & Record<string, unknown>;
  score: unknown;
  replications: unknown;
  deltaIntervals: unknown;
}

export interface DraftCompareResult {
  trace: string;
  /** The replications block of `ivr-sim compare --json` (n, seed, method, score, per-scenario intervals). */
  replications: unknown;
  elapsedMs: number;
  delta: unknown;
  deltaIntervals: unknown;
  /** The changed-calls summary of `compare --json`, with the first changed calls themselves in `calls`. */
  changedCalls: Record<string, unknown>;
  decisions: unknown;
  score: unknown;
  /** The overall KPIs of the saved configuration and of the draft. */
  baseline: Record<string, unknown>;
  candidate: Record<string, unknown>;
  baselineVersion: string;
  candidateVersion: string;
}

/**
 * "Compare with saved": the trace replayed, with replications, against the configuration being
 * served and against the draft, by `ivr-sim compare` in a process of its own (it keeps both
 * cores busy for seconds; the process that answers calls only waits for its output).
 */
@Injectable()
export class DesignerCompareService {
  private running = false;

  constructor(
    @Inject(APP_ENV) private readonly env: AppEnv,
    @Inject(CLI_SCRIPT) private readonly cli: string,
    @Inject(LOGGER) private readonly log: AppLogger,
    @Inject(DesignerEditService) private readonly editor: DesignerEditService,
  ) {}

  async compare(body: unknown): Promise<DraftCompareResult> {
    let trace = 'sample';
    let replications = DEFAULT_REPLICATIONS;
    let seed = 1;
    const req = readEditRequest(body, this.env.configPaths, { properties: ['trace', 'replications', 'seed'] }, (f, problems) => {
      if (f['trace'] !== undefined && f['trace'] !== null) {
        const t = f['trace'];
        if (typeof t !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(t) || !existsSync(join(TRACE_DIR, `${t}.jsonl`))) problems.push(`trace: ${JSON.stringify(t)} is not a trace in data/traces; e.g. "sample"`);
        else trace = t;
      }
      const whole = (name: string, min: number, max: number, set: (n: number) => void) => {
        const v = f[name];
        if (v === undefined || v === null) return;
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) problems.push(`${name}: ${JSON.stringify(v)}, expected a whole number from ${min} to ${max}`);
        else set(v);
      };
      whole('replications', 2, MAX_REPLICATIONS, (n) => (replications = n));
      whole('seed', 0, Number.MAX_SAFE_INTEGER, (n) => (seed = n));
    });
    if (this.running) throw new DesignerCompareBusyError();
    this.running = true;
    const { snapshot } = this.editor.current();
    const started = Date.now();
    let dir: string | undefined;
    try {
      // Whether the draft loads is checked in the check worker, like everything heavy here.
      const loads = await this.editor.checkDraft(req.changes, { lint: false });
      if (!loads.valid) throw new DesignerDraftInvalidError(loads.issues);
      dir = mkdtempSync(join(tmpdir(), 'ivr-sim-compare-'));
      writeConfigDirectory(snapshot, new Map(), join(dir, 'saved'));
      writeConfigDirectory(snapshot, req.changes, join(dir, 'draft'));
      const callsOut = join(dir, 'changed-calls.jsonl');
      const args = [
        this.cli, 'compare', join(TRACE_DIR, `${trace}.jsonl`),
        '--baseline', join(dir, 'saved'), '--candidate', join(dir, 'draft'),
        '--staffing', this.env.designer.staffingFile,
        '--replications', String(replications), '--seed', String(seed),
        '--calls-out', callsOut, '--json',
      ];
      const out = await run(args);
      const r = JSON.parse(out) as CliCompare;
      const calls = existsSync(callsOut)
        ? readFileSync(callsOut, 'utf8').split('\n').filter(Boolean).slice(0, MAX_CHANGED_CALLS).map((l) => JSON.parse(l) as unknown)
        : [];
      const elapsedMs = Date.now() - started;
      this.log.info({ trace, replications, seed, elapsedMs, baseline: r.baseline.configVersion, candidate: r.candidate.configVersion }, 'designer comparison done');
      return {
        trace,
        replications: r.replications,
        elapsedMs,
        delta: r.delta,
        deltaIntervals: r.deltaIntervals,
        changedCalls: { ...r.changedCalls, calls },
        decisions: r.decisions,
        score: r.score,
        baseline: overallKpis(r.baseline.overall),
        candidate: overallKpis(r.candidate.overall),
        baselineVersion: r.baseline.configVersion,
        candidateVersion: r.candidate.configVersion,
      };
    } finally {
      this.running = false;
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The overall figures, without where the temporary directories were. */
function overallKpis(overall: Record<string, unknown>): Record<string, unknown> {
  const { scenario: _scenario, ...rest } = overall;
  return rest;
}

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: PACKAGE_ROOT, maxBuffer: 256 * 2 ** 20, timeout: COMPARE_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      if (error) reject(new DesignerCompareFailedError(`the comparison failed: ${(stderr || error.message).trim().split('\n').slice(-5).join(' ')}`));
      else resolve(stdout);
    });
  });
}
