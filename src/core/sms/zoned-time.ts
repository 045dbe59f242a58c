/**
 * Wall-clock time in an IANA time zone, from Intl alone (no time-zone library, no machine zone).
 * Intl is slow (~15 µs a call), so UTC offsets are cached per zone and 15-minute UTC bucket:
 * every offset change of the tz database since 1970 happens on such a boundary.
 */

const MINUTE_MS = 60_000;
const BUCKET_MS = 15 * MINUTE_MS;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();
const validity = new Map<string, boolean>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether the runtime knows the zone (e.g. `Asia/Shanghai`; not `Mars/Base`). */
export function isValidTimeZone(zone: string): boolean {
  let ok = validity.get(zone);
  if (ok === undefined) {
    try {
      formatterFor(zone);
      ok = true;
    } catch {
      ok = false;
    }
    validity.set(zone, ok);
  }
  return ok;
}

function computeOffsetMin(zone: string, epochMs: number): number {
  const p: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / MINUTE_MS);
}

/** Minutes east of UTC in `zone` at the instant `epochMs` (480 for Asia/Shanghai). */
export function utcOffsetMin(zone: string, epochMs: number): number {
  let byBucket = offsets.get(zone);
  if (!byBucket) offsets.set(zone, (byBucket = new Map()));
  const bucket = Math.floor(epochMs / BUCKET_MS);
  let off = byBucket.get(bucket);
  if (off === undefined) {
    if (byBucket.size > 20_000) byBucket.clear();
    off = computeOffsetMin(zone, bucket * BUCKET_MS);
    byBucket.set(bucket, off);
  }
  return off;
}

/** The instant as local wall-clock milliseconds (epoch ms shifted by the zone's offset). */
export function localMs(zone: string, epochMs: number): number {
  return epochMs + utcOffsetMin(zone, epochMs) * MINUTE_MS;
}

/** Minutes after local midnight, 0–1439. */
export function localMinuteOfDay(zone: string, epochMs: number): number {
  const local = localMs(zone, epochMs);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/**
 * The instant whose local wall-clock time in `zone` is `localWallMs`. Twice refined, so a DST
 * change between the guess and the answer is taken into account; a wall time skipped by a
 * spring-forward gap comes out one offset-difference later.
 */
export function epochAtLocal(zone: string, localWallMs: number): number {
  let guess = localWallMs - utcOffsetMin(zone, localWallMs) * MINUTE_MS;
  guess = localWallMs - utcOffsetMin(zone, guess) * MINUTE_MS;
  return guess;
}

/** `"21:00"` → 1260 (minutes after midnight); undefined for anything but HH:MM from 00:00 to 23:59. */
export function parseClockTime(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** 1260 → `"21:00"`. */
export function formatClockTime(minuteOfDay: number): string {
  return `${String(Math.floor(minuteOfDay / 60)).padStart(2, '0')}:${String(minuteOfDay % 60).padStart(2, '0')}`;
}
