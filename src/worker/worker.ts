import { ConfigError, formatIssue } from '../core/config/config-error.js';
import { createLogger } from '../infra/logging/logger.js';
import { redactUrl } from '../infra/redis/redact-url.js';
import { loadSmsWorkerEnv, SmsWorkerEnvError } from './sms-worker-env.js';
import { startSmsWorkerRuntime } from './sms-worker-runtime.js';

/** `npm run worker`: sends the queued SMS; configured by environment variables (docs/sms.md). */
async function main(): Promise<void> {
  let env;
  try {
    env = loadSmsWorkerEnv(process.env);
  } catch (err) {
    if (!(err instanceof SmsWorkerEnvError)) throw err;
    process.stderr.write(`ivr-sim sms worker: ${err.message}\n`);
    process.exit(1);
  }
  const logger = createLogger(env.logLevel);
  let runtime;
  try {
    runtime = startSmsWorkerRuntime(env, { logger });
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const issue of err.issues) logger.error({ issue: formatIssue(issue) }, 'configuration error');
      logger.fatal('SMS templates or contact policy do not load; not starting');
      process.exit(1);
    }
    throw err;
  }
  logger.info(
    {
      redis: redactUrl(env.redis.url),
      keyPrefix: env.redis.keyPrefix,
      ratePerSec: env.ratePerSec,
      concurrency: env.concurrency,
      sender: 'from' in env.twilio.origin ? { from: env.twilio.origin.from } : { messagingServiceSid: env.twilio.origin.messagingServiceSid },
      twilioApi: env.twilio.apiBaseUrl ?? 'https://api.twilio.com',
      rulesDir: env.rulesDir,
    },
    'ivr-sim SMS worker ready',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: running jobs finish first');
    runtime.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err: err.message }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
