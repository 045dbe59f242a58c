import { createRequire } from 'node:module';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { HttpException } from '@nestjs/common';

/**
 * How request bodies become `@Body()`: Twilio's form posts and the pages' JSON, read exactly as
 * the service has always read them (the rules of body-parser, which NestJS's Express adapter
 * used), so signatures, repeated parameters and error answers do not change with the HTTP layer:
 * - application/x-www-form-urlencoded: qs with body-parser's options, so `Digits=1&Digits=2` is
 *   an array, `Digits=` is '', `Digits[a]=1` is an object (refused as not a single value), and
 *   more than 1000 parameters is 413;
 * - application/json: an object or array only (`"abc"` is 400), an empty body is `{}`;
 * - either: at most 100 KiB once inflated (413), gzip, deflate or br inflated, charsets checked
 *   (415);
 * - any other type: not read; the body stays undefined and the handler says what is missing.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;

const PARAMETER_LIMIT = 1000;
const DEPTH = 32;

interface QsParseOptions {
  allowPrototypes: boolean;
  arrayLimit: number;
  depth: number;
  charset: 'utf-8' | 'iso-8859-1';
  parameterLimit: number;
  strictDepth: boolean;
}
// qs ships no type declarations; this is the one function used.
const qs = createRequire(import.meta.url)('qs') as { parse(text: string, options: QsParseOptions): Record<string, unknown> };

/** The parts of Fastify's instance the parsers are registered with. */
export interface ContentTypeParsers {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    type: string,
    opts: { parseAs: 'buffer'; bodyLimit: number },
    parser: (req: { headers: Record<string, string | string[] | undefined> }, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
  addContentTypeParser(type: '*', parser: (req: unknown, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: unknown) => void) => void): void;
}

export function registerBodyParsers(fastify: ContentTypeParsers): void {
  fastify.removeAllContentTypeParsers();
  const opts = { parseAs: 'buffer' as const, bodyLimit: BODY_LIMIT_BYTES };
  fastify.addContentTypeParser('application/x-www-form-urlencoded', opts, (req, body, done) => settle(done, () => parseForm(req.headers, body)));
  fastify.addContentTypeParser('application/json', opts, (req, body, done) => settle(done, () => parseJson(req.headers, body)));
  // Not read, as before: the body is left undefined.
  fastify.addContentTypeParser('*', (_req, payload, done) => {
    payload.resume();
    done(null, undefined);
  });
}

function settle(done: (err: Error | null, body?: unknown) => void, parse: () => unknown): void {
  let parsed: unknown;
  try {
    parsed = parse();
  } catch (err) {
    done(err as Error);
    return;
  }
  done(null, parsed);
}

type Headers = Record<string, string | string[] | undefined>;

function parseForm(headers: Headers, raw: Buffer): Record<string, unknown> {
  const charset = charsetOf(headers) ?? 'utf-8';
  if (charset !== 'utf-8' && charset !== 'iso-8859-1') throw unsupportedCharset(charset);
  const body = decode(inflate(headers, raw), charset);
  if (body.length === 0) return {};
  let count = 0;
  let at = -1;
  do {
    if (++count > PARAMETER_LIMIT) throw new HttpException('too many parameters', 413);
    at = body.indexOf('&', at + 1);
  } while (at !== -1);
  try {
    return qs.parse(body, { allowPrototypes: true, arrayLimit: Math.max(100, count), depth: DEPTH, charset, parameterLimit: PARAMETER_LIMIT, strictDepth: true });
  } catch (err) {
    if (err instanceof RangeError) throw new HttpException('The input exceeded the depth', 400);
    throw err;
  }
}

/** JSON whitespace (RFC 8259): space, tab, line feed, carriage return. */
const FIRST_NON_WHITESPACE = /^[ \t\n\r]*([^ \t\n\r]|$)/;

function parseJson(headers: Headers, raw: Buffer): unknown {
  const charset = charsetOf(headers) ?? 'utf-8';
  if (!charset.startsWith('utf-')) throw unsupportedCharset(charset);
  const body = decode(inflate(headers, raw), charset);
  if (body.length === 0) return {};
  const first = FIRST_NON_WHITESPACE.exec(body)?.[1];
  if (first !== '{' && first !== '[') throw new HttpException(strictViolation(body, first ?? ''), 400);
  try {
    return JSON.parse(body) as unknown;
  } catch (err) {
    throw new HttpException((err as Error).message, 400);
  }
}

/** JSON.parse's own message for a body that does not start an object or array, naming what it starts with. */
function strictViolation(body: string, first: string): string {
  const index = first === '' ? -1 : body.indexOf(first);
  const partial = index === -1 ? '' : body.slice(0, index) + '#'.repeat(body.length - index);
  try {
    JSON.parse(partial);
  } catch (err) {
    return (err as Error).message.replace(/#+/g, (run) => body.slice(index, index + run.length));
  }
  return 'Unexpected JSON';
}

function charsetOf(headers: Headers): string | undefined {
  const type = headers['content-type'];
  const m = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/i.exec(typeof type === 'string' ? type : '');
  const value = m?.[1] ?? m?.[2];
  return value ? value.toLowerCase() : undefined;
}

function unsupportedCharset(charset: string): HttpException {
  return new HttpException(`unsupported charset "${charset.toUpperCase()}"`, 415);
}

/** Content-Encoding undone, within the size limit. */
function inflate(headers: Headers, raw: Buffer): Buffer {
  const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return raw;
  const decompress = encoding === 'gzip' ? gunzipSync : encoding === 'deflate' ? inflateSync : encoding === 'br' ? brotliDecompressSync : null;
  if (decompress === null) throw new HttpException(`unsupported content encoding "${encoding}"`, 415);
  try {
    return decompress(raw, { maxOutputLength: BODY_LIMIT_BYTES });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new HttpException('request entity too large', 413);
    throw new HttpException((err as Error).message, 400);
  }
}

function decode(bytes: Buffer, charset: string): string {
  if (charset === 'iso-8859-1') return bytes.toString('latin1');
  let decoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    throw unsupportedCharset(charset);
  }
  // A byte-order mark is dropped (TextDecoder's default), as before.
  return decoder.decode(bytes);
}
