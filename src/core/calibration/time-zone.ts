/**
 * Reading the local times of an ACD export that carries no UTC offset: `--timezone` names either
 * a fixed offset (`+08:00`, `Z`) or an IANA zone (`Asia/Shanghai`), whose offset may change with
 * daylight saving time.
 */
export interface TimeZone {
  label: string;
  /** Minutes east of UTC in force at a local wall-clock time (given as if it were UTC, in ms). */
  offsetAtLocal(localAsUtcMs: number): number;
}

const FIXED = /^(Z|UTC|([+-])(\d{2}):?(\d{2}))$/i;

/** Undefined when the text is neither a fixed offset nor a zone this Node knows. */
export function parseTimeZone(text: string): TimeZone | undefined {
  const m = FIXED.exec(text.trim());
  if (m) {
    const offset = m[2] ? (m[2] === '-' ? -1 : 1) * (Number(m[3]) * 60 + Number(m[4])) : 0;
    if (Math.abs(offset) > 18 * 60) return undefined;
    return { label: text, offsetAtLocal: () => offset };
  }
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: text,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined;
  }
  const offsetAt = (utcMs: number): number => {
    const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
    const asUtc = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
    return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
  };
  return {
    label: text,
    // Two passes settle the offset except in the hour a clock change skips or repeats.
    offsetAtLocal(local) {
      const first = offsetAt(local);
      return offsetAt(local - first * 60_000);
    },
  };
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/;
const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An arrival written as `2025-03-03T09:00:01.25+08:00`, `2025-03-03 09:00:01Z` or, with a
 * time zone, `2025-03-03 09:00:01`: the instant and its offset; a string saying what is wrong
 * otherwise.
 */
export function parseArrival(text: string, zone: TimeZone | undefined): { epochMs: number; offsetMin: number } | string {
  const t = text.trim();
  const withOffset = WITH_OFFSET.exec(t);
  const local = withOffset ?? LOCAL.exec(t);
  if (!local) return `"${text}" is not an ISO-8601 date-time (YYYY-MM-DDTHH:MM:SS, optionally with .fff and an offset)`;
  const [, y, mo, d, h, mi, s, frac] = local;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  const check = new Date(asUtc);
  if (Number.isNaN(asUtc) || check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
    return `"${text}" is not a real date and time`;
  }
  let offsetMin: number;
  if (withOffset) {
    const z = parseTimeZone(withOffset[8]!);
    if (!z) return `"${text}" has an offset out of range`;
    offsetMin = z.offsetAtLocal(asUtc);
  } else {
    if (!zone) return `"${text}" has no UTC offset; give the log's time zone with --timezone (e.g. +08:00 or Asia/Shanghai)`;
    offsetMin = zone.offsetAtLocal(asUtc);
  }
  return { epochMs: asUtc - offsetMin * 60_000, offsetMin };
}

/** Local date YYYY-MM-DD of an instant at an offset. */
export function localDate(epochMs: number, offsetMin: number): string {
  return new Date(epochMs + offsetMin * 60_000).toISOString().slice(0, 10);
}
