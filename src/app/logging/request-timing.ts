import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types.js';
import { performance } from 'node:perf_hooks';

const STARTED = Symbol('startedAt');

/** Express middleware: notes when a request arrived, for the latency in its log line. */
export function requestTiming(req: Request, _res: Response, next: NextFunction): void {
  (req as Request & { [STARTED]?: number })[STARTED] = performance.now();
  next();
}

export function latencyMs(req: Request): number | undefined {
  const started = (req as Request & { [STARTED]?: number })[STARTED];
  return started === undefined ? undefined : Math.round((performance.now() - started) * 100) / 100;
}
