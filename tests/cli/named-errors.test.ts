import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DesignerWalkError } from '../../src/app/designer/designer-errors.js';
import { TwilioSignatureInvalidError } from '../../src/app/telephony/webhook-errors.js';
import { UsageError } from '../../src/cli/cli-error.js';
import { ConfigError } from '../../src/core/config/config-error.js';
import { exitCodeOf, NamedError } from '../../src/core/errors/named-error.js';
import { FlowLoopError } from '../../src/core/flows/ivr-player.js';
import { reviveError, serializeError } from '../../src/core/replay/worker-error.js';
import { SimulationError } from '../../src/core/simulation/simulation-error.js';
import { StaffingFileError } from '../../src/core/staffing/staffing-file-error.js';
import { TraceGenerationError } from '../../src/core/trace/trace-generation-error.js';

describe('named errors', () => {
  it.each([
    ['a wrong command line', new UsageError('--seed x: expected a whole number'), 'USAGE', 2],
    ['a malformed staffing override', new StaffingFileError('STAFFING_OVERRIDE_INVALID', []), 'STAFFING_OVERRIDE_INVALID', 2],
    ['a bad staffing file', new StaffingFileError('STAFFING_INVALID', []), 'STAFFING_INVALID', 1],
    ['a wrong generator option', new TraceGenerationError('mix names no segment'), 'TRACE_GEN_OPTIONS', 2],
    ['a bad call record', new SimulationError('UNKNOWN_QUEUE', 'queue x is not staffed', 'c1'), 'UNKNOWN_QUEUE', 1],
    ['a bad configuration', new ConfigError([{ file: 'f.json', path: '', message: 'bad', severity: 'error' }]), 'CONFIG_INVALID', 1],
    ['a flow without end', new FlowLoopError('main', 'menu'), 'FLOW_LOOP', 1],
    ['a badly signed webhook', new TwilioSignatureInvalidError('/voice/incoming'), 'TWILIO_SIGNATURE_INVALID', 1],
    ['a designer call that cannot be walked', new DesignerWalkError('loops'), 'DESIGNER_WALK_FAILED', 1],
  ])('%s is a named error with a stable code and the exit code the command line gives it', (_what, err, code, exitCode) => {
    expect(err).toBeInstanceOf(NamedError);
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(exitCode);
    expect(exitCodeOf(err)).toBe(exitCode);
  });

  it('keeps its code and exit code when it crosses from a worker thread', () => {
    const revived = reviveError(structuredClone(serializeError(new UsageError('--interval 7: expected 15, 30 or 60 (minutes)'))));
    expect(revived).not.toBeInstanceOf(NamedError);
    expect(revived).toMatchObject({ name: 'UsageError', code: 'USAGE', message: '--interval 7: expected 15, 30 or 60 (minutes)' });
    expect(exitCodeOf(revived)).toBe(2);
    // The default exit code (1) travels too.
    expect(exitCodeOf(reviveError(structuredClone(serializeError(new FlowLoopError('main', 'menu')))))).toBe(1);
  });

  it('an error that is not named asks for no exit code', () => {
    expect(exitCodeOf(new Error('boom'))).toBeUndefined();
    expect(exitCodeOf(Object.assign(new Error('ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(exitCodeOf('a string')).toBeUndefined();
  });

  it('every error class exported from src/ is a NamedError, so the CLI and the HTTP filter can read its code', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const bases = new Map<string, string>();
    for (const file of files) {
      for (const m of readFileSync(join(src, file), 'utf8').matchAll(/export (?:abstract )?class (\w+) extends (\w+)/g)) bases.set(m[1]!, m[2]!);
    }
    const named = (name: string): boolean => name === 'NamedError' || (bases.has(name) && named(bases.get(name)!));
    const errors = [...bases.keys()].filter((name) => name.endsWith('Error') && name !== 'NamedError');
    expect(errors.length).toBeGreaterThan(30);
    expect(errors.filter((name) => !named(name)), 'error classes that do not extend NamedError (src/core/errors/named-error.ts)').toEqual([]);
  });
});
