import { deleteKeysUnder } from '../helpers/redis-keys.js';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { loadAppEnv, type AppEnv } from '../../src/app/config/app-env.js';
import { createApp } from '../../src/app/create-app.js';
import { InternalListener } from '../../src/app/listeners/internal-listener.js';
import { createLogger } from '../../src/infra/logging/logger.js';
import { CALL_STATE_STORE } from '../../src/app/tokens.js';
import type { CallStateStore } from '../../src/core/telephony/call-state-store.js';
import { ManualClock } from '../../src/core/time/clock.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';

export const REDIS_URL = 'redis://127.0.0.1:6379';

/** One JSON line the service logged. */
export type LogLine = Record<string, unknown> & { level: number; msg: string };

export interface Harness {
  app: INestApplication;
  /** The public listener: Twilio's webhooks and /health. */
  server: ReturnType<INestApplication['getHttpServer']>;
  /** The internal listener: the pages, their APIs, the event streams, /sms/stats. */
  internal: Server;
  /** Puts the internal listener on a free port of 127.0.0.1 (INTERNAL_HOST); returns its origin. */
  listenInternal(): Promise<string>;
  env: AppEnv;
  clock: ManualClock;
  /** Everything the service logged, parsed. */
  logs: LogLine[];
  /** The service's own call state store (to see when prompts end, as a caller would hear it). */
  store: CallStateStore;
  /** A separate client for assertions on what the service wrote. */
  redis: Redis;
  prefix: string;
  /** This instance's outage spool directory. */
  spoolDir: string;
  /** Closes the instance only: keys and spool stay, for another instance to pick up (a restart). */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Another instance's prefix and spool directory: this one takes over from it (a restart). */
  takeOver?: Pick<Harness, 'prefix' | 'spoolDir'>;
  /** The ivr-sim command line the flow editor's comparisons run (a build: tests run sources). */
  cliScript?: string;
}

/**
 * Starts the voice service as `npm start` would, with a real Redis, a manual clock and a key
 * prefix of its own (`suite` + a random id), so test files can run in parallel. `close` removes
 * every key under the prefix, and the outage spool directory (a temporary one of its own). The
 * internal listener has no token unless `env` gives INTERNAL_TOKEN.
 */
export async function startService(suite: string, env: Record<string, string> = {}, opts: StartOptions = {}): Promise<Harness> {
  const prefix = opts.takeOver?.prefix ?? `test:${suite}:${randomUUID().slice(0, 8)}:`;
  const spoolDir = opts.takeOver?.spoolDir ?? mkdtempSync(join(tmpdir(), `ivr-sim-${suite}-spool-`));
  const appEnv = loadAppEnv({
    PUBLIC_BASE_URL: TEST_BASE_URL,
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    SPOOL_DIR: spoolDir,
    CONFIG_WATCH: 'off',
    INTERNAL_PORT: '0',
    ...env,
  });
  const logs: LogLine[] = [];
  const logger = createLogger('info', { write: (s: string) => void logs.push(JSON.parse(s) as LogLine) });
  const clock = new ManualClock(Date.UTC(2025, 5, 2, 8, 30, 0));
  const app = await createApp({ env: appEnv, logger, clock, ...(opts.cliScript ? { cliScript: opts.cliScript } : {}) });
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const internal = app.get(InternalListener);
  return {
    app,
    server: app.getHttpServer(),
    internal: internal.server,
    async listenInternal() {
      const { address, port } = await internal.listen();
      return `http://${address}:${port}`;
    },
    env: appEnv,
    clock,
    logs,
    store: app.get<CallStateStore>(CALL_STATE_STORE),
    redis,
    prefix,
    spoolDir,
    async stop() {
      await app.close();
      await redis.quit();
    },
    async close() {
      await app.close();
      await deleteKeysUnder(redis, prefix);
      await redis.quit();
      rmSync(spoolDir, { recursive: true, force: true });
    },
  };
}
