import type { Readable } from 'node:stream';
import { decideInputOf, replayCallOf } from '../replay/compact-decision.js';
import { readTrace, type TraceReaderOptions } from '../trace/trace-reader.js';
import type { RecordedDay } from './trace-resampler.js';

/**
 * Reads a trace into memory as the replay reads it (same checks, same handling of bad lines),
 * with arrivals on the replay's clock: a trace written with arrivalTime counts from its first
 * call's time of day.
 */
export async function readRecordedDay(source: string | Readable, options: TraceReaderOptions): Promise<RecordedDay> {
  const reader = readTrace(source, options);
  const day: RecordedDay = { calls: [] };
  let offset: number | undefined;
  for await (const call of reader) {
    if (offset === undefined) {
      const origin = reader.stats().origin;
      offset = origin?.secOfDay ?? 0;
      if (origin) day.origin = origin;
    }
    day.calls.push({ call: replayCallOf(call, call.arrivalSec + offset), input: decideInputOf(call) });
  }
  return day;
}
