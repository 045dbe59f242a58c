import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkTraceLine } from '../../src/core/trace/trace-line-check.js';
import { scanTraceLine } from '../../src/core/trace/trace-line-scanner.js';
import { readTrace } from '../../src/core/trace/trace-reader.js';
import type { TraceCall } from '../../src/core/trace/trace-call.js';
import { mulberry32 } from '../helpers/seeded-random.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** What the validating path makes of a line: the checked line, or null when it refuses it. */
function reference(text: string) {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  const checked = checkTraceLine(doc);
  return checked.ok ? checked.line : null;
}

/** The scanner either reads a line exactly as the validating path does, or leaves it to that path. */
function expectSame(text: string): 'scanned' | 'left' {
  const fast = scanTraceLine(text);
  if (fast === undefined) return 'left';
  const ref = reference(text);
  expect(ref, text).not.toBeNull();
  expect(fast, text).toStrictEqual(ref);
  // Same fields in the same order, and numbers to the last bit (toStrictEqual tells 0 from -0 too).
  expect(Object.keys(fast.call), text).toEqual(Object.keys(ref!.call));
  return 'scanned';
}

function randomLines(seed: number, count: number): string[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const numbers = [
    () => String(Math.round(random() * 1e6) / 1e3),
    () => String(Math.floor(random() * 600)),
    () => (random() * 1e5).toFixed(Math.floor(random() * 12)),
    () => pick(['0', '0.0', '0.1', '1e3', '1E-2', '2.5e+1', '123456789012345', '1234567890123456', '12345678901234567', '0.30000000000000004', '9007199254740993', '1.7976931348623157e308', '1e400', '5e-324', '-1', '-0', '01', '1.', '.5', '00.5', '1e', '0x10', 'NaN', 'Infinity', '4.35', '0.000001', '99.99999999999999999']),
  ];
  const strings = () =>
    pick(['c0000001', '+8613800000001', 'CA0123456789abcdef0123456789abcdef', '', ' ', 'a"b', 'a\\"b', 'tab\there', 'é', '贵宾', '\u2028', 'zh-CN', 'en-US', 'fr-FR', 'general', 'vip']);
  const keyTexts = ['0', '1,9', '2@3.1,1', '1@9.5,9', ' 2 , 1 ', '', '2@', 'x', '2@-1', '*,#', '0@1e2', '2@.5', '1,,2', '9@3.10'];
  const fields = ['callId', 'arrivalSec', 'arrivalTime', 'caller', 'keys', 'talkSec', 'wrapSec', 'patienceSec', 'hangupInIvrSec', 'queue', 'priority', 'language', 'profile', 'observed', 'other', '__proto__'];
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const parts: string[] = [];
    const base = random() < 0.6;
    const chosen = base ? ['callId', 'arrivalSec', 'talkSec', ...fields.filter(() => random() < 0.2)] : fields.filter(() => random() < 0.4);
    if (random() < 0.5) chosen.sort(() => random() - 0.5);
    if (random() < 0.05) chosen.push(pick(chosen.length ? chosen : fields)); // a repeated field
    for (const f of chosen) {
      let value: string;
      if (f === 'keys') value = random() < 0.9 ? JSON.stringify(pick(keyTexts)) : '[{"key":"2"}]';
      else if (f === 'language') value = JSON.stringify(pick(['zh-CN', 'en-US', 'de']));
      else if (f === 'arrivalTime') value = '"2025-03-03T09:00:03.597+08:00"';
      else if (f === 'profile' || f === 'observed') value = '{"segment":"vip"}';
      else if (['callId', 'caller', 'queue', 'other', '__proto__'].includes(f)) value = random() < 0.9 ? JSON.stringify(f === 'callId' ? `c${n}` : strings()) : pick(['"raw"tail"', '"a\\u0041"', '7', 'null']);
      else value = random() < 0.95 ? pick(numbers)() : pick(['"5"', 'null', 'true']);
      parts.push(`"${f}":${value}`);
    }
    let text = `{${parts.join(',')}}`;
    const r = random();
    if (r < 0.03) text = text.replace(':', ': ');
    else if (r < 0.05) text = ` ${text}`;
    else if (r < 0.07) text = text.slice(0, -1);
    else if (r < 0.08) text = `${text},`;
    else if (r < 0.09) text = `[${text}]`;
    lines.push(text);
  }
  return lines;
}

describe('the fast trace-line scanner', () => {
  it('reads the shipped traces and generated-style lines exactly as the validating path does', () => {
    let scanned = 0;
    for (const file of ['golden.jsonl', 'sample.jsonl']) {
      for (const text of readFileSync(join(ROOT, 'data', 'traces', file), 'utf8').split('\n')) if (text) expectSame(text);
    }
    const random = mulberry32(7);
    for (let i = 0; i < 20_000; i++) {
      const keys = random() < 0.1 ? '' : `,"keys":"${random() < 0.5 ? '0' : `1@${(random() * 10).toFixed(1)},9`}"`;
      const acd = random() < 0.2;
      const text = acd
        ? `{"callId":"a${i}","arrivalSec":${(i * 6.31).toFixed(3)},"queue":"general","talkSec":${Math.floor(random() * 900)},"patienceSec":${(random() * 300).toFixed(1)}}`
        : `{"callId":"c${String(i).padStart(7, '0')}","arrivalSec":${(i * 4.417).toFixed(3)},"caller":"+86138000${String(i % 400).padStart(5, '0')}"${keys},"talkSec":${Math.floor(random() * 900)},"patienceSec":${(random() * 300).toFixed(1)}}`;
      if (expectSame(text) === 'scanned') scanned++;
    }
    // Not vacuous: every such line takes the fast way.
    expect(scanned).toBe(20_000);
  });

  it('leaves every odd line to the validating path unless it reads it the same', () => {
    const outcomes = { scanned: 0, left: 0 };
    for (const text of randomLines(11, 30_000)) outcomes[expectSame(text)]++;
    // Both ways are exercised.
    expect(outcomes.scanned).toBeGreaterThan(500);
    expect(outcomes.left).toBeGreaterThan(1000);
  });

  it('never accepts a line the validating path refuses', () => {
    const refused = [
      '{"callId":"a","arrivalSec":1,"talkSec":-1}',
      '{"callId":"","arrivalSec":1,"talkSec":1}',
      '{"callId":"a","talkSec":1}',
      '{"callId":"a","arrivalSec":1}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"priority":5}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"queue":"general","keys":"1"}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"queue":"general","hangupInIvrSec":3}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"keys":"2@"}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"language":"de"}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"extra":1}',
      '{"callId":"a","arrivalSec":01,"talkSec":1}',
      '{"callId":"a","arrivalSec":1,"talkSec":1,"caller":""}',
    ];
    for (const text of refused) {
      expect(reference(text), text).toBeNull();
      expect(scanTraceLine(text), text).toBeUndefined();
    }
  });

  it('reads a line where it lies in a longer text as it reads the line cut out, and nothing past its end', () => {
    const random = mulberry32(5);
    const lines = randomLines(31, 3_000);
    const text = lines.join('\n');
    let from = 0;
    for (const line of lines) {
      const to = from + line.length;
      expect(scanTraceLine(text, from, to), line).toStrictEqual(scanTraceLine(line));
      // Any proper prefix, with the rest of the text after it, is a line of its own: never read past `to`.
      const cut = from + Math.floor(random() * line.length);
      expect(scanTraceLine(text, from, cut), text.slice(from, cut)).toStrictEqual(scanTraceLine(text.slice(from, cut)));
      from = to + 1;
    }
    const whole = '{"callId":"a","arrivalSec":1,"talkSec":12}';
    // Cut inside the last number, inside a name, before the brace: each must be refused, not read on.
    for (const cut of [whole.length - 2, whole.length - 1, whole.indexOf('talk') + 2, 14]) {
      expect(scanTraceLine(whole, 0, cut), whole.slice(0, cut)).toBeUndefined();
    }
    expect(scanTraceLine(`xx${whole}yy`, 2, 2 + whole.length)).toStrictEqual(scanTraceLine(whole));
  });

  it('a reader gives the same calls and counts whichever way each line is read', async () => {
    const lines = randomLines(23, 5_000).map((l, i) => l.replace(/"callId":"[^"]*"/, `"callId":"u${i}"`));
    const text = lines.join('\n') + '\n';
    const read = async (t: string) => {
      const reader = readTrace(Readable.from([t]), { onError: 'skip', sort: true });
      const calls: TraceCall[] = [];
      for await (const c of reader) calls.push(c);
      return { calls, stats: reader.stats() };
    };
    // Spaces after every colon make the scanner leave every line to the validating path.
    const slow = await read(lines.map((l) => l.replaceAll('":', '": ')).join('\n') + '\n');
    const fast = await read(text);
    expect(fast.calls.length).toBeGreaterThan(100);
    expect(fast.calls).toStrictEqual(slow.calls);
    expect(fast.stats.skippedByReason).toEqual(slow.stats.skippedByReason);
  });
});

describe('what the log saw of a call (observed)', () => {
  it('a line with observed is never read by the scanner: the validating path keeps observed.answered for the replay', async () => {
    const lines = [
      '{"callId":"a","arrivalSec":36000,"queue":"general","talkSec":60,"observed":{"answered":false,"waitSec":40}}',
      '{"callId":"b","arrivalSec":36010,"queue":"general","talkSec":60,"observed":{"answered":true}}',
      '{"callId":"c","arrivalSec":36020,"queue":"general","talkSec":60}',
    ];
    expect(lines.map(expectSame)).toEqual(['left', 'left', 'scanned']);
    const calls: TraceCall[] = [];
    for await (const call of readTrace(Readable.from([lines.join('\n') + '\n']), {})) calls.push(call);
    expect(calls.map((c) => c.observed?.answered)).toEqual([false, true, undefined]);
  });
});
