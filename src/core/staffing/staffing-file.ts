/**
 * Reading and writing staffing files. A file is checked against its JSON Schema
 * (schemas/staffing.schema.json) and then for what a schema cannot say: skills naming
 * queues that do not exist, duplicate ids, overlapping shifts. Every problem is collected
 * and reported together, each with the file, the JSON path and what was expected, so a
 * planner fixes a file in one pass; nothing is half-loaded.
 */

import { readFile } from 'node:fs/promises';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { IssueCollector, type ConfigIssue } from '../config/config-error.js';
import { parseDocument } from '../config/document.js';
import { checkDocument, type DocumentWording } from '../config/schema-validator.js';
import { suggestion } from './did-you-mean.js';
import { readProblem } from '../config/read-problem.js';
import { daySchedule, everStaffed, shiftSegments } from './shift-schedule.js';
import { DEFAULT_INTERVAL_MIN, DEFAULT_WRAP_SEC, MINUTES_PER_DAY, type Staffing } from './staffing.js';
import { StaffingFileError } from './staffing-file-error.js';

export interface StaffingLoadResult {
  staffing: Staffing;
  /** Problems that do not stop a simulation but probably are mistakes (a queue nobody answers). */
  warnings: ConfigIssue[];
}

/** Reads and checks a staffing file. The reader is injectable so callers need not touch the disk. */
export async function loadStaffingFile(
  file: string,
  read: (file: string) => Promise<string> = (f) => readFile(f, 'utf8'),
): Promise<StaffingLoadResult> {
  let text: string;
  try {
    text = await read(file);
  } catch (error) {
    const issues = new IssueCollector();
    issues.error(file, STAFFING_WORDING.root, readProblem(error));
    throw new StaffingFileError('STAFFING_UNREADABLE', issues.issues);
  }
  return parseStaffing(text, file);
}

/** Parses and checks the text of a staffing file; `file` names it in error messages. */
export function parseStaffing(text: string, file: string): StaffingLoadResult {
  const issues = new IssueCollector();
  const value = parseDocument(text, file, issues, STAFFING_WORDING);
  if (issues.hasErrors) throw new StaffingFileError('STAFFING_NOT_JSON', issues.issues);
  return checkStaffing(value, file);
}

/** Checks an already-parsed staffing document and fills in defaults. */
export function checkStaffing(value: unknown, file: string): StaffingLoadResult {
  const schemaIssues = new IssueCollector();
  if (!checkDocument('staffing', value, file, schemaIssues, { wording: STAFFING_WORDING })) {
    throw new StaffingFileError('STAFFING_INVALID', schemaIssues.issues);
  }
  const raw = value as Omit<Staffing, 'intervalMin' | 'defaultWrapSec'> &
    Partial<Pick<Staffing, 'intervalMin' | 'defaultWrapSec'>> & { $schema?: string };
  const staffing: Staffing = {
    serviceLevel: raw.serviceLevel,
    intervalMin: raw.intervalMin ?? DEFAULT_INTERVAL_MIN,
    defaultWrapSec: raw.defaultWrapSec ?? DEFAULT_WRAP_SEC,
    queues: raw.queues,
    groups: raw.groups,
  };
  const issues = crossReferenceIssues(staffing, file);
  if (issues.length > 0) throw new StaffingFileError('STAFFING_INVALID', issues);
  return { staffing, warnings: coverageWarnings(staffing, file) };
}

/** The file text for a staffing model; parsing it gives the same model back. */
export function serializeStaffing(staffing: Staffing): string {
  return `${JSON.stringify(staffing, null, 2)}\n`;
}

// --- schema ----------------------------------------------------------------------------


const PATTERN_MEANING: Record<string, string> = {
  '^[A-Za-z0-9][A-Za-z0-9_.-]*$': "an id of letters, digits, '-', '_' or '.', starting with a letter or digit",
  '^([01][0-9]|2[0-3]):[0-5][0-9]$': 'a time of day as HH:MM, from 00:00 to 23:59',
  '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$': 'a time of day as HH:MM, from 00:00 to 24:00',
};

/**
 * A staffing planner's wording: JSON paths as `$.groups[0].shifts[1].to`, what was expected in
 * words (a time of day, an id), and the syntax error's line and column in the message itself.
 */
export const STAFFING_WORDING: DocumentWording = {
  root: '$',
  syntax: (at) => (at.line !== undefined ? `is not valid JSON at line ${at.line}, column ${at.column}: ${at.reason}` : `is not valid JSON: ${at.reason}`),
  schema: (error) =>
    // The branches of a oneOf, and the pattern inside propertyNames, fail individually;
    // the enclosing error says it better.
    error.schemaPath.includes('/oneOf/') || error.schemaPath.includes('/propertyNames/') ? undefined : describeSchemaError(error),
};

function describeSchemaError(error: ErrorObject): { path: string; message: string } {
  const segments = pointerSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const got = error.data === undefined ? '' : ` (got ${JSON.stringify(error.data)})`;
  const at = (extra: string[], message: string) => ({ path: jsonPath([...segments, ...extra]), message });
  switch (error.keyword) {
    case 'required':
      return at([String(params.missingProperty)], 'is required');
    case 'additionalProperties': {
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const name = String(params.additionalProperty);
      return at([name], `is not a known property${suggestion(name, known)}; expected one of: ${known.join(', ')}`);
    }
    case 'oneOf':
      return at([], "must set exactly one of 'agents' (the same number all day) or 'shifts'");
    case 'type':
      return at([], `must be ${article(String(params.type))}${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at([], `must be ${String(params.comparison)} ${String(params.limit)}${got}`);
    case 'pattern':
      return at([], `must be ${PATTERN_MEANING[String(params.pattern)] ?? `text matching ${String(params.pattern)}`}${got}`);
    case 'propertyNames':
      return at([String(params.propertyName)], `is not a valid queue id; expected ${PATTERN_MEANING['^[A-Za-z0-9][A-Za-z0-9_.-]*$']}`);
    case 'minItems':
      return at([], `must have at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`);
    case 'minProperties':
      return at([], `must name at least ${String(params.limit)} queue${params.limit === 1 ? '' : 's'}`);
    default:
      return at([], `${error.message ?? 'is invalid'}${got}`);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

// --- rules beyond the schema -------------------------------------------------------------

function crossReferenceIssues(staffing: Staffing, file: string): ConfigIssue[] {
  const issues = new IssueCollector();
  const issue = (segments: Array<string | number>, message: string) => issues.error(file, jsonPath(segments), message);

  if (MINUTES_PER_DAY % staffing.intervalMin !== 0) {
    issue(['intervalMin'], `must divide the 1440-minute day evenly (got ${staffing.intervalMin})`);
  }

  const queueIds = new Map<string, number>();
  staffing.queues.forEach((queue, i) => {
    const first = queueIds.get(queue.id);
    if (first !== undefined) issue(['queues', i, 'id'], `duplicates queue id '${queue.id}' of $.queues[${first}]`);
    else queueIds.set(queue.id, i);
  });

  const groupIds = new Map<string, number>();
  staffing.groups.forEach((group, g) => {
    const first = groupIds.get(group.id);
    if (first !== undefined) issue(['groups', g, 'id'], `duplicates group id '${group.id}' of $.groups[${first}]`);
    else groupIds.set(group.id, g);

    for (const queue of Object.keys(group.skills)) {
      if (!queueIds.has(queue)) {
        const known = [...queueIds.keys()];
        issue(['groups', g, 'skills', queue], `names unknown queue '${queue}'${suggestion(queue, known)}; known queues: ${known.join(', ')}`);
      }
    }

    const shifts = group.shifts ?? [];
    const empty = (i: number) => shifts[i]!.from === shifts[i]!.to;
    for (let s = 0; s < shifts.length; s++) {
      if (empty(s)) {
        issue(['groups', g, 'shifts', s], `is empty: 'from' and 'to' are both ${shifts[s]!.from}`);
        continue;
      }
      for (let earlier = 0; earlier < s; earlier++) {
        if (empty(earlier)) continue;
        if (overlaps(shiftSegments(shifts[earlier]!), shiftSegments(shifts[s]!))) {
          const e = shifts[earlier]!;
          issue(['groups', g, 'shifts', s], `overlaps shifts[${earlier}] (${e.from}–${e.to}); a group's shifts must not overlap`);
        }
      }
    }
  });
  return issues.issues;
}

function overlaps(a: Array<[number, number]>, b: Array<[number, number]>): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}

function coverageWarnings(staffing: Staffing, file: string): ConfigIssue[] {
  const warnings = new IssueCollector();
  staffing.queues.forEach((queue, i) => {
    const serving = staffing.groups.filter((g) => queue.id in g.skills);
    if (serving.length === 0) {
      warnings.warning(file, jsonPath(['queues', i]), `no group has a skill for queue '${queue.id}'; its calls are never answered`);
    } else if (!serving.some((g) => everStaffed(daySchedule(g)))) {
      warnings.warning(file, jsonPath(['queues', i]), `the groups serving queue '${queue.id}' never have agents; its calls are never answered`);
    }
  });
  return warnings.issues;
}

// --- paths and messages ------------------------------------------------------------------

function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `$.groups[0].skills["vip-diamond"]`: dots for plain names, brackets for indices and the rest. */
export function jsonPath(segments: ReadonlyArray<string | number>): string {
  let path = '$';
  for (const s of segments) {
    if (typeof s === 'number') path += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) path += `.${s}`;
    else path += `[${JSON.stringify(s)}]`;
  }
  return path;
}
