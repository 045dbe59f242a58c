import type { TraceLine } from './trace-line.js';

/** How CSV cells are typed: numbers and JSON objects; every other column is text. */
const NUMBER_COLUMNS = ['arrivalSec', 'talkSec', 'wrapSec', 'patienceSec', 'hangupInIvrSec', 'priority'] as const;
const JSON_COLUMNS = ['profile', 'observed'] as const;

/** Every column a trace CSV may have, in the order the docs list them. */
export const TRACE_CSV_COLUMNS: readonly (keyof TraceLine)[] = [
  'callId', 'arrivalSec', 'arrivalTime', 'caller', 'profile', 'keys', 'talkSec', 'wrapSec',
  'patienceSec', 'hangupInIvrSec', 'queue', 'priority', 'retryOf', 'language', 'observed',
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
  const missing: string[] = REQUIRED_COLUMNS.filter((name) => !seen.has(name));
  if (!seen.has('arrivalSec') && !seen.has('arrivalTime')) missing.push('arrivalSec or arrivalTime');
  if (missing.length) {
    // One problem for the header, not one per row: every row would lack the same cells.
    problems.push({
      field: '',
      message: `the header has no ${missing.join(', ')} column${missing.length === 1 ? '' : 's'}; every trace needs callId, talkSec and arrivalSec or arrivalTime (header: ${header.join(',')})`,
    });
  }
  return problems;
}

/** Columns every row needs: the schema requires them, so a header without them fails every row. */
const REQUIRED_COLUMNS = ['callId', 'talkSec'] as const;

/** The delimiters a trace CSV may use; spreadsheets set to some locales write `;`. */
export const CSV_DELIMITERS = [',', ';', '\t'] as const;

/**
 * The delimiter of a CSV trace, told from its header line: the one that splits it into the
 * most trace field names (a comma when none does better, so the header check names the columns).
 */
export function csvDelimiterOf(headerLine: string): string {
  let best: string = ',';
  let bestKnown = 0;
  for (const d of CSV_DELIMITERS) {
    const known = headerLine.split(d).filter((name) => KNOWN.has(name.trim().replace(/^"(.*)"$/, '$1'))).length;
    if (known > bestKnown) {
      best = d;
      bestKnown = known;
    }
  }
  return best;
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
