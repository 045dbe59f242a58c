import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * The SMS queue's own Redis connection, owned by the service rather than by BullMQ. BullMQ closes
 * a connection it made with QUIT, which fails at once while Redis is unreachable (no offline
 * queue); the client would then go on reconnecting after shutdown, its error listener gone, and
 * print "[ioredis] Unhandled error event" every second. This one is dropped outright on shutdown.
 * Its errors are reported through the queue's 'error' event (logged once per outage).
 */
export class SmsQueueConnection implements OnApplicationShutdown {
  readonly client: Redis;

  constructor(url: string) {
    this.client = new Redis(url, {
      // Fail fast rather than queue commands while Redis is away: a webhook must not hang on it.
      enableOfflineQueue: false,
      // BullMQ's own back-off for the connections it makes: 1 s, then up to 20 s between attempts.
      retryStrategy: (times) => Math.max(Math.min(Math.exp(times), 20_000), 1_000),
    });
    // Reported by the queue, which listens on this client too; this keeps a late one quiet.
    this.client.on('error', () => undefined);
  }

  onApplicationShutdown(): void {
    this.client.disconnect();
  }
}
