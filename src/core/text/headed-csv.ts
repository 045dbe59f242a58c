/**
 * How this product reads a CSV file with a header row (traces, ACD logs) with csv-parse: a BOM
 * and blank lines ignored, cells trimmed, and every row that cannot be split handed to the
 * caller's `on_skip` with its raw text and line, so that it is counted at its line, not lost.
 */
export const HEADED_CSV_OPTIONS = {
  bom: true,
  trim: true,
  info: true,
  raw: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
} as const;
