import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/**
 * The few parts of a request and its reply the service uses, as NestJS's Fastify adapter hands
 * them to guards, interceptors, filters and `@Req()`/`@Res()`. fastify is the adapter's
 * dependency, not ours, so these are declared here rather than imported; `raw` is Node's own
 * request and response underneath.
 */
export interface HttpRequest {
  raw: IncomingMessage;
  /** Path and query as requested. */
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
}

export interface HttpReply {
  raw: ServerResponse;
  statusCode: number;
  /** Ended, or taken over with `hijack()`. */
  sent: boolean;
  code(status: number): HttpReply;
  type(contentType: string): HttpReply;
  send(body?: string): HttpReply;
  /** The handler writes `raw` itself from now on (event streams): Fastify sends nothing more. */
  hijack(): HttpReply;
}

/** The path as requested, without the query (not decoded). */
export function requestPath(req: HttpRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

/** A request header (Node joins repeated ones, except Set-Cookie, into one value). */
export function requestHeader(req: HttpRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
