import type { TraceLine } from './trace-line.js';

/** How CSV cells are typed: numbers and JSON objects; every other column is text. */
const NUMBER_COLUMNS = ['arrivalSec', 'talkSec', 'wrapSec', 'patienceSec', 'hangupInIvrSec', 'priority'] as const;
const JSON_COLUMNS = ['profile', 'observed'] as const;

/** Every column a trace CSV may have, in the order the docs list them. */
export const TRACE_CSV_COLUMNS: readonly (keyof TraceLine)[] = [
  'callId', 'arrivalSec', 'arrivalTime', 'caller', 'profile', 'keys', 'talkSec', 'wrapSec',
  'patienceSec', 'hangupInIvrSec', 'queue', 'priority', 'language', 'observed',
];

const KNOWN = new Set<string>(TRACE_CSV_COLUMNS);
const NUMBERS = new Set<string>(NUMBER_COLUMNS);
const JSONS = new Set<string>(JSON_COLUMNS);

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** What is wrong with a header row; empty when every column is a trace field named once. */
export function csvHeaderProblems(header: readonly string[]): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (!KNOWN.has(name)) {
      problems.push({ field: `/${name}`, message: `column ${i + 1} "${name}" is not a trace field; expected one of: ${TRACE_CSV_COLUMNS.join(', ')}` });
    } else if (seen.has(name)) {
      problems.push({ field: `/${name}`, message: `column ${i + 1} "${name}" appears twice` });
    }
    seen.add(name);
  });
  if (!seen.has('callId')) problems.push({ field: '/callId', message: 'the header has no callId column' });
  return problems;
}

/** A row with every cell empty (spreadsheets export these): a blank line, not a call. */
export function isBlankRow(row: Readonly<Record<string, string>>): boolean {
  for (const k in row) if (row[k] !== '') return false;
  return true;
}

/**
 * Turns a CSV row into the object a JSON line would hold: empty cells are absent, number
 * columns become numbers (text that is not a number stays text, for the schema to name),
 * `profile` and `observed` are parsed as JSON.
 */
export function csvRowToLine(row: Readonly<Record<string, string>>): { value: Record<string, unknown>; problems: { field: string; message: string }[] } {
  const value: Record<string, unknown> = {};
  const problems: { field: string; message: string }[] = [];
  for (const [name, cell] of Object.entries(row)) {
    if (cell === '') continue;
    if (NUMBERS.has(name)) {
      value[name] = NUMERIC.test(cell) ? Number(cell) : cell;
    } else if (JSONS.has(name)) {
      try {
        value[name] = JSON.parse(cell) as unknown;
      } catch (err) {
        problems.push({ field: `/${name}`, message: `the cell must hold a JSON object (${(err as Error).message})` });
      }
    } else {
      value[name] = cell;
    }
  }
  return { value, problems };
}
