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
