import { Redis } from 'ioredis';
import type { AppLogger } from '../logging/logger.js';
import { redactUrl } from './redact-url.js';

/**
 * A Redis client that fails fast instead of queueing: while Redis is unreachable a command errors
 * at once (no offline queue, one retry, a short timeout), so a webhook can still answer the caller
 * in time. Commands are auto-pipelined. It keeps reconnecting in the background and logs only changes of state.
 */
export async function connectRedis(url: string, commandTimeoutMs: number, log: AppLogger): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1000, commandTimeoutMs * 2),
    retryStrategy: (times) => Math.min(100 * times, 2000),
    // Commands issued in the same turn of the event loop (many webhooks at once) go out in one
    // socket write and come back in one read, instead of a system call each way per command.
    enableAutoPipelining: true,
  });
  const where = redactUrl(url);
  let up: boolean | null = null;
  client.on('ready', () => {
    if (up !== true) log.info({ redis: where }, 'redis connected');
    up = true;
  });
  client.on('error', (err: Error) => {
    if (up !== false) log.error({ redis: where, err: err.message }, 'redis unreachable: calls are apologised to and queued to the default queue until it is back');
    up = false;
  });
  try {
    await client.connect();
  } catch {
    // Already logged by the error handler; the service starts anyway and reports it on /health.
  }
  return client;
}

/**
 * A client for one command-line read: it connects when first used, gives up at once when Redis
 * is unreachable (no offline queue, no reconnecting), and leaves the reporting to the caller.
 */
export function oneShotRedis(url: string): Redis {
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 3000, retryStrategy: () => null });
  client.on('error', () => undefined); // the caller reports the failed command, once
  return client;
}
