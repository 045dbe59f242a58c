import { ConfigError, formatIssue } from './core/config/config-error.js';
import { AppEnvError, loadAppEnv } from './app/config/app-env.js';
import { createApp } from './app/create-app.js';
import { createLogger } from './app/logging/logger.js';

/** `npm start`: the live voice service (Twilio webhooks), configured by environment variables (docs/twilio.md). */
async function main(): Promise<void> {
  let env;
  try {
    env = loadAppEnv(process.env);
  } catch (err) {
    if (!(err instanceof AppEnvError)) throw err;
    process.stderr.write(`ivr-sim: ${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(env.logLevel);
  try {
    const app = await createApp({ env, logger });
    app.enableShutdownHooks();
    await app.listen(env.port);
    logger.info({ port: env.port }, 'listening');
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
