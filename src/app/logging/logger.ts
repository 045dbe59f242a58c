import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger } from 'pino';

export type AppLogger = Logger;

/** Structured JSON lines. Secrets are never passed to the logger; the redaction is a second guard. */
export function createLogger(level: string, destination?: DestinationStream): AppLogger {
  const options = {
    level,
    base: { service: 'ivr-sim' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['authToken', '*.authToken', 'signature', '*.signature'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

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
