import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IssueCollector } from '../../src/core/config/config-error.js';
import { loadDocument } from '../../src/core/config/document.js';
import { loadProfileFile } from '../../src/core/profile/profile-file.js';
import { parseStaffing } from '../../src/core/staffing/staffing-file.js';
import { StaffingFileError } from '../../src/core/staffing/staffing-file-error.js';
import { loadDayProfile } from '../../src/core/trace/day-profile.js';
import { TRACE_PROFILE } from '../../src/core/trace/trace-schemas.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
function fileWith(name: string, text: string): string {
  dir ??= mkdtempSync(join(tmpdir(), 'ivr-sim-document-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadDocument: read, locate, validate, report in one shape', () => {
  it('returns the document when it conforms, and records nothing', () => {
    const issues = new IssueCollector();
    const file = fileWith('customers.json', JSON.stringify({ customers: [{ phone: '+8613800000001', vipLevel: 'gold' }] }));
    expect(loadDocument('customers', file, issues)).toEqual({ customers: [{ phone: '+8613800000001', vipLevel: 'gold' }] });
    expect(issues.issues).toEqual([]);
  });

  it('locates a syntax error by line and column', () => {
    const issues = new IssueCollector();
    const file = fileWith('customers.json', '{\n  "customers": [\n    {"phone": "+8613800000001" "vipLevel": "gold"}\n  ]\n}\n');
    expect(loadDocument('customers', file, issues)).toBeUndefined();
    expect(issues.issues).toEqual([{ file, path: '', line: 3, column: 32, severity: 'error', message: expect.stringMatching(/^not valid JSON: /) }]);
  });

  it('says in words why a file cannot be read', () => {
    const issues = new IssueCollector();
    const file = join(tmpdir(), 'ivr-sim-no-such-dir', 'customers.json');
    expect(loadDocument('customers', file, issues)).toBeUndefined();
    expect(issues.issues).toEqual([{ file, path: '', severity: 'error', message: 'file not found (ENOENT)' }]);
  });

  it('records every schema violation with its JSON path and what was expected', () => {
    const issues = new IssueCollector();
    const file = fileWith('customers.json', JSON.stringify({ customers: [{ phone: '+8613800000001', vipLevel: 'platinum', colour: 'red' }] }));
    expect(loadDocument('customers', file, issues)).toBeUndefined();
    expect(issues.issues).toEqual(
      expect.arrayContaining([
        { file, path: '/customers/0/vipLevel', severity: 'error', message: expect.stringMatching(/^must be one of "diamond", .* \(schema customers\)$/) },
        { file, path: '/customers/0', severity: 'error', message: 'unknown property "colour" (schema customers)' },
      ]),
    );
  });

  it('validates against one $defs of a schema: a trace line\'s inline profile', () => {
    const issues = new IssueCollector();
    const file = fileWith('profile.json', JSON.stringify({ vipLevel: 'gold' }));
    expect(loadDocument(TRACE_PROFILE, file, issues)).toBeUndefined();
    expect(issues.issues).toEqual([{ file, path: '', severity: 'error', message: 'missing required property "phone" (schema trace-line, $defs/profile)' }]);
  });
});

describe('every format reports its issues in the one shape, in its own words', () => {
  it('a hand-written profile: the trace wording, the field and what it got', () => {
    const file = fileWith('profile.json', JSON.stringify({ phone: '+8613800000001', vipLevel: 'platinum' }));
    expect(() => loadProfileFile(file)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ file, path: '/vipLevel', severity: 'error', message: expect.stringContaining('(got "platinum") (schema trace-line, $defs/profile)') })] }));
  });

  it('a day profile: a syntax error keeps its line and column', () => {
    const file = fileWith('day-profile.json', '{\n  "unit": "relative",\n  "hours": [1, 2,]\n}\n');
    expect(() => loadDayProfile(file)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ file, path: '', line: 3, column: 18, severity: 'error' })] }));
  });

  it('a staffing file: the planner\'s $-paths, the line and column on the issue and in the message', () => {
    try {
      parseStaffing('{\n  "queues": [,]\n}', 'broken.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StaffingFileError);
      expect((error as StaffingFileError).issues).toEqual([
        { file: 'broken.json', path: '$', line: 2, column: 14, severity: 'error', message: expect.stringMatching(/^is not valid JSON at line 2, column 14: /) },
      ]);
    }
  });
});
