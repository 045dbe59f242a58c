import { pipeline, Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { jsonSyntaxProblem } from '../config/json-syntax.js';
import { csvDelimiterOf, csvHeaderProblems, csvRowToLine, isBlankRow } from './trace-csv.js';
import { TraceError } from './trace-error.js';
import type { CheckedLine } from './trace-line-check.js';
import { scanTraceLine } from './trace-line-scanner.js';
import { HEADED_CSV_OPTIONS } from '../text/headed-csv.js';

/**
 * What a trace file holds, line by line, before any trace-line check: a parsed value, blank
 * lines (counted, never calls), or a line that cannot be parsed at all.
 */
export type TraceRecord =
  | { kind: 'value'; line: number; value: unknown; problems: { field: string; message: string }[] }
  /** A line the fast scanner read (see trace-line-scanner.ts): checked already, as the schema and checkTraceLine would. */
  | { kind: 'checked'; line: number; checked: CheckedLine }
  | { kind: 'blank'; count: number }
  | { kind: 'syntax'; line: number; problems: { field: string; message: string }[] };

/**
 * JSON Lines, one record per line, handed out a chunk's worth at a time (an await per line
 * would cost more than parsing it). Splits the stream itself rather than using readline, so
 * that a failing input stream rejects the iteration; memory holds one chunk and one line.
 */
export async function* jsonlRecords(input: Readable): AsyncGenerator<TraceRecord[]> {
  input.setEncoding('utf8');
  let rest = '';
  let line = 0;
  /** The line text[from, to): scanned where it lies, cut out only when the scanner cannot read it. */
  const one = (chunk: string, from: number, to: number): TraceRecord => {
    line++;
    if (line === 1 && chunk.charCodeAt(from) === 0xfeff) from++;
    const checked = scanTraceLine(chunk, from, to);
    if (checked) return { kind: 'checked', line, checked };
    const text = chunk.slice(from, to);
    if (text.trim() === '') return { kind: 'blank', count: 1 };
    try {
      return { kind: 'value', line, value: JSON.parse(text) as unknown, problems: [] };
    } catch (err) {
      const at = jsonSyntaxProblem(text, err as Error);
      return { kind: 'syntax', line, problems: [{ field: '', message: `not valid JSON${at.column === undefined ? '' : ` at column ${at.column}`}: ${at.reason}` }] };
    }
  };
  const lineEnd = (text: string, start: number, nl: number) => (nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
  for await (const chunk of input as AsyncIterable<string>) {
    const batch: TraceRecord[] = [];
    let start = 0;
    let nl = chunk.indexOf('\n');
    if (rest !== '') {
      if (nl < 0) {
        rest += chunk;
        continue;
      }
      // The line the previous chunk began; the chunk's own lines are read where they lie in it
      // (a flat string, where joining it to the rest first would make one to flatten).
      const head = rest + chunk.slice(0, nl);
      batch.push(one(head, 0, lineEnd(head, 0, head.length)));
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    for (; nl >= 0; nl = chunk.indexOf('\n', start)) {
      batch.push(one(chunk, start, lineEnd(chunk, start, nl)));
      start = nl + 1;
    }
    rest = chunk.slice(start);
    if (batch.length) yield batch;
  }
  // A last line without a newline is still a line; a file ending in a newline has no extra one.
  if (rest !== '') yield [one(rest, 0, rest.endsWith('\r') ? rest.length - 1 : rest.length)];
}

interface CsvRow {
  record: Record<string, string>;
  raw: string;
  info: { lines: number; empty_lines: number };
}

/**
 * CSV with a header row naming trace fields, parsed by csv-parse's streaming API. Rows that
 * cannot be split (wrong cell count, unclosed quote) become syntax records at their line;
 * csv-parse reports those ahead of the rows it has buffered, so they wait for their turn.
 */
export async function* csvRecords(source: Readable, name: string): AsyncGenerator<TraceRecord[]> {
  const { delimiter, input } = await sniffDelimiter(source);
  let width = 0;
  const early: TraceRecord[] = [];
  const parser = parse({
    delimiter,
    ...HEADED_CSV_OPTIONS,
    columns: (header: string[]) => {
      const problems = csvHeaderProblems(header);
      if (problems.length) throw new TraceError('TRACE_FORMAT', name, problems.map((p) => ({ line: 1, ...p, reason: 'syntax' as const })));
      width = header.length;
      return header;
    },
    on_skip: (err: CsvError | undefined, raw: string | undefined) => {
      if (!err) return;
      const end = Number((err as CsvError & { lines?: number }).lines ?? 0);
      const text = raw ?? '';
      if (text.trim() === '') {
        early.push({ kind: 'blank', count: 1 });
        return;
      }
      const line = startLine(text, end, err.code !== 'CSV_QUOTE_NOT_CLOSED');
      early.push({ kind: 'syntax', line, problems: [{ field: '', message: csvMessage(err, width) }] });
    },
  });
  // csv-parse counts the nothing after a final line break as one more empty line; that is not a blank line.
  let endsWithBreak = false;
  input.on('data', (chunk: Buffer | string) => {
    if (chunk.length) endsWithBreak = chunk[chunk.length - 1] === (typeof chunk === 'string' ? '\n' : 10);
  });
  // pipeline forwards a failing input to the parser; the parser's own error ends the loop below.
  pipeline(input, parser, () => undefined);
  let blanksSeen = 0;
  const blanksUpTo = (emptyLines: number, batch: TraceRecord[]) => {
    if (emptyLines > blanksSeen) batch.push({ kind: 'blank', count: emptyLines - blanksSeen });
    blanksSeen = Math.max(blanksSeen, emptyLines);
  };
  for await (const row of parser as AsyncIterable<CsvRow>) {
    const line = startLine(row.raw, row.info.lines, true);
    const batch: TraceRecord[] = [];
    while (early.length && lineOf(early[0]!) < line) batch.push(early.shift()!);
    blanksUpTo(row.info.empty_lines, batch);
    if (isBlankRow(row.record)) batch.push({ kind: 'blank', count: 1 });
    else {
      const { value, problems } = csvRowToLine(row.record);
      batch.push({ kind: 'value', line, value, problems });
    }
    yield batch;
  }
  const last = early.splice(0);
  blanksUpTo(parser.info.empty_lines - (endsWithBreak ? 1 : 0), last);
  if (last.length) yield last;
}

/**
 * Reads the source up to the end of its first line to tell the delimiter (see csvDelimiterOf),
 * and gives back a stream of the whole text, the part read included. Only the first line is
 * held before parsing starts, so a trace is still read as it is produced.
 */
async function sniffDelimiter(source: Readable): Promise<{ delimiter: string; input: Readable }> {
  const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: (Buffer | string)[] = [];
  let text = '';
  let done = false;
  // Up to the end of the first line that holds something: csv-parse skips blank lines before the header too.
  while (!done && !/\S[^\n]*\n/.test(text)) {
    const r = await chunks.next();
    if (r.done) done = true;
    else {
      head.push(r.value);
      text += typeof r.value === 'string' ? r.value : r.value.toString('utf8');
    }
  }
  const firstLine = text.replace(/^\ufeff/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  async function* whole(): AsyncGenerator<Buffer | string> {
    yield* head;
    if (done) return;
    for (let r = await chunks.next(); !r.done; r = await chunks.next()) yield r.value;
  }
  const input = Readable.from(whole(), { objectMode: false });
  // Ending the stream the parser reads ends the source too (the reader destroys the source when it stops early).
  input.once('close', () => source.destroy());
  return { delimiter: csvDelimiterOf(firstLine), input };
}

function lineOf(r: TraceRecord): number {
  return r.kind === 'blank' ? 0 : r.line;
}

/** The line a row starts on: its end line less the line breaks inside it (quoted cells may hold some). */
function startLine(raw: string, endLine: number, endsWithBreak: boolean): number {
  let body = raw.replace(/^(?:[ \t]*\r?\n)+/, '');
  if (endsWithBreak) body = body.replace(/\r?\n$/, '');
  let breaks = 0;
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) breaks++;
  return Math.max(1, endLine - breaks);
}

function csvMessage(err: CsvError, width: number): string {
  const record = (err as CsvError & { record?: unknown[] }).record;
  switch (err.code) {
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
      return `has ${Array.isArray(record) ? record.length : 'a different number of'} cells; the header has ${width} columns (quote cells that contain commas)`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    default:
      return `cannot be read as CSV: ${err.message}`;
  }
}
