import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { HttpRequest } from '../http-types.js';

const STARTED = Symbol('startedAt');

type Timed = IncomingMessage & { [STARTED]?: number };

/** An onRequest hook: notes when a request arrived, for the latency in its log line. */
export function noteRequestStart(req: HttpRequest, _reply: unknown, done: () => void): void {
  (req.raw as Timed)[STARTED] = performance.now();
  done();
}

export function latencyMs(req: HttpRequest): number | undefined {
  const started = (req.raw as Timed)[STARTED];
  return started === undefined ? undefined : Math.round((performance.now() - started) * 100) / 100;
}
