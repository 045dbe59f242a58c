import type { LoggerService } from '@nestjs/common';
import type { AppLogger } from '../../infra/logging/logger.js';

/** Nest's own messages (start-up, routes) go through the same JSON logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly pino: AppLogger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, context: unknown[]): void {
    const ctx = context.find((c) => typeof c === 'string');
    this.pino[level]({ context: ctx ?? 'nest' }, String(message));
  }
  log(message: unknown, ...context: unknown[]): void {
    this.write('info', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.write('trace', message, context);
  }
}
