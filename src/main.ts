import type { INestApplication } from '@nestjs/common';
import { ConfigError, formatIssue } from './core/config/config-error.js';
import { AppEnvError, loadAppEnv } from './app/config/app-env.js';
import { createApp } from './app/create-app.js';
import { InternalListener } from './app/listeners/internal-listener.js';
import { createLogger } from './infra/logging/logger.js';
import { runWebCluster } from './app/web-cluster.js';

/**
 * The public listener on HOST, or without HOST on every interface as Node listens by default
 * (Fastify alone would take localhost): IPv6 and IPv4 on `::`, IPv4 alone where IPv6 is missing.
 */
async function listenPublic(app: INestApplication, port: number, host: string | null): Promise<void> {
  if (host !== null) {
    await app.listen(port, host);
    return;
  }
  try {
    await app.listen(port, '::');
  } catch (err) {
    if ((err as { code?: string }).code !== 'EAFNOSUPPORT') throw err;
    await app.listen(port, '0.0.0.0');
  }
}

/** `npm start`: the live voice service, Twilio's webhooks on PORT and the internal pages on INTERNAL_PORT, configured by environment variables (docs/twilio.md). */
async function main(): Promise<void> {
  let env;
  try {
    env = loadAppEnv(process.env);
  } catch (err) {
    if (!(err instanceof AppEnvError)) throw err;
    process.stderr.write(`ivr-sim: ${err.message}\n`);
    process.exit(1);
  }
  const base = createLogger(env.logLevel);
  const logger = env.workerIndex === null ? base : base.child({ worker: env.workerIndex });
  try {
    // WEB_CONCURRENCY above 1: this process forks one service process per core and only watches them.
    await runWebCluster({
      concurrency: env.webConcurrency,
      log: logger,
      startWorker: async () => {
        const app = await createApp({ env, logger });
        app.enableShutdownHooks();
        await listenPublic(app, env.port, env.host);
        logger.info({ listener: 'public', host: env.host ?? 'all interfaces', port: env.port }, 'listening: Twilio webhooks and /health');
        const internal = await app.get(InternalListener).listen();
        logger.info({ listener: 'internal', host: internal.address, port: internal.port, token: env.internal.token === null ? 'not set' : 'required' }, 'listening: designer, agent desktop, event streams, /sms/stats');
        return env.port;
      },
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const issue of err.issues) logger.error({ issue: formatIssue(issue) }, 'configuration error');
      logger.fatal('flows, rules or customers do not load; not starting');
    } else {
      logger.fatal({ err: (err as Error).message, stack: (err as Error).stack }, 'start-up failed');
    }
    process.exit(1);
  }
}

await main();
