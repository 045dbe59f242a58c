/** A date-time as traces write it: an instant plus the UTC offset it was written at. */
export interface OffsetDateTime {
  epochMs: number;
  /** Minutes east of UTC, e.g. 480 for +08:00. */
  offsetMin: number;
  /** Seconds after local midnight at that offset (millisecond precision). */
  secOfDay: number;
}

const DAY_MS = 86_400_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(Z|([+-])(\d{2}):?(\d{2})?)$/i;

/**
 * Reads an ISO-8601 / RFC 3339 date-time with an explicit offset (`Z`, `+08:00`); undefined
 * for anything else, so nothing depends on the time zone of the machine reading it.
 */
export function parseOffsetDateTime(text: string): OffsetDateTime | undefined {
  const m = RFC3339.exec(text.trim());
  const epochMs = Date.parse(text);
  if (!m || Number.isNaN(epochMs)) return undefined;
  const offsetMin = m[2] ? (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4] ?? 0)) : 0;
  // In whole milliseconds, so 09:00:03.597 gives 32403.597 and not a float's neighbour of it.
  const secOfDay = ((((epochMs + offsetMin * 60_000) % DAY_MS) + DAY_MS) % DAY_MS) / 1000;
  return { epochMs, offsetMin, secOfDay };
}

/** `2025-03-03T09:00:01.250+08:00`: always milliseconds and the offset, so lines line up. */
export function formatOffsetDateTime(epochMs: number, offsetMin: number): string {
  const local = new Date(epochMs + offsetMin * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMin);
  return `${local}${offsetMin < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
