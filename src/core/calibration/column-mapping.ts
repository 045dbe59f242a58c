/** The fields of an ACD log row, in the order the docs list them. */
export const ACD_FIELDS = ['callId', 'customerId', 'queue', 'priority', 'arrivalTime', 'waitSec', 'outcome', 'talkSec', 'agentId'] as const;
export type AcdField = (typeof ACD_FIELDS)[number];

/** Which column(s) of the export hold each field; several columns are joined (a date and a clock). */
export type ColumnMapping = ReadonlyMap<AcdField, readonly string[]>;

const FIELD_SET = new Set<string>(ACD_FIELDS);

/**
 * Reads `callId=call_id,arrivalTime=date+q_start`: a field of the log, `=`, the export's
 * column, or several joined by `+` (read as one date-time: the cells joined by `T`). Fields not
 * named keep their own name. Throws a RangeError saying what is wrong.
 */
export function parseColumnMapping(spec: string | undefined): ColumnMapping {
  const map = new Map<AcdField, string[]>();
  if (spec === undefined || spec.trim() === '') return map;
  for (const part of spec.split(',')) {
    const eq = part.indexOf('=');
    const field = part.slice(0, eq).trim();
    const source = part.slice(eq + 1).trim();
    if (eq < 0 || field === '' || source === '') throw new RangeError(`"${part}": expected field=column, e.g. callId=call_id`);
    if (!FIELD_SET.has(field)) throw new RangeError(`"${field}" is not a field of an ACD log; fields: ${ACD_FIELDS.join(', ')}`);
    if (map.has(field as AcdField)) throw new RangeError(`"${field}" is mapped twice`);
    const columns = source.split('+').map((c) => c.trim());
    if (columns.some((c) => c === '')) throw new RangeError(`"${part}": an empty column name`);
    if (columns.length > 1 && field !== 'arrivalTime') throw new RangeError(`"${part}": only arrivalTime may join columns (a date and a clock)`);
    if (columns.length > 2) throw new RangeError(`"${part}": arrivalTime joins at most two columns (a date and a clock)`);
    map.set(field as AcdField, columns);
  }
  return map;
}

/** The export's column(s) for a field. */
export function columnsOf(mapping: ColumnMapping, field: AcdField): readonly string[] {
  return mapping.get(field) ?? [field];
}

/**
 * A row of the export in the log's field names: text cells trimmed, empty cells absent, a
 * joined arrivalTime as `date` + `T` + `clock`. Columns the mapping does not name are ignored
 * (exports carry many).
 */
export function mapRow(row: Readonly<Record<string, unknown>>, mapping: ColumnMapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of ACD_FIELDS) {
    const cells = columnsOf(mapping, field).map((c) => row[c]);
    if (cells.length === 2) {
      const [date, clock] = cells.map((c) => (typeof c === 'string' ? c.trim() : typeof c === 'number' ? String(c) : ''));
      if (date !== '' || clock !== '') out[field] = `${date}T${clock}`;
      continue;
    }
    const v = cells[0];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) continue;
    out[field] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

/** Header problems: a mapped column (or a required field's own name) missing from the export. */
export function missingColumns(header: ReadonlySet<string>, mapping: ColumnMapping): string[] {
  const missing: string[] = [];
  for (const field of ['callId', 'arrivalTime', 'waitSec', 'outcome'] as const) {
    for (const c of columnsOf(mapping, field)) if (!header.has(c)) missing.push(c === field ? field : `${c} (for ${field})`);
  }
  for (const [field, cols] of mapping) {
    if (['callId', 'arrivalTime', 'waitSec', 'outcome'].includes(field)) continue;
    for (const c of cols) if (!header.has(c)) missing.push(`${c} (for ${field})`);
  }
  return missing;
}
