import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { redactUrl } from '../infra/redis/redact-url.js';
import { AppModule, type AppOptions } from './app.module.js';
import { isLoopback } from './listeners/listener.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { requestTiming } from './logging/request-timing.js';

/**
 * Builds and initialises the service (not listening yet): `main.ts` listens, tests use supertest.
 * One application, two HTTP servers: `app.getHttpServer()` is the public listener (webhooks,
 * /health), `app.get(InternalListener).server` the internal one (pages, APIs, event streams).
 */
export async function createApp(opts: AppOptions): Promise<INestApplication> {
  const { env, logger } = opts;
  if (!env.twilio.signatureValidation) {
    logger.warn(
      { setting: 'TWILIO_SIGNATURE_VALIDATION=off' },
      'WEBHOOK SIGNATURES ARE NOT CHECKED: anyone who can reach this service can drive calls. Development only; never in production.',
    );
  }
  if (env.internal.token === null && !isLoopback(env.internal.host)) {
    logger.warn(
      { setting: `INTERNAL_HOST=${env.internal.host}`, internalToken: 'not set' },
      'THE INTERNAL PAGES (customer data) ARE OPEN to anyone who can reach this host: set INTERNAL_TOKEN, or put them behind your sign-on.',
    );
  }
  const app = await NestFactory.create(AppModule.forRoot(opts), { logger: new NestPinoLogger(logger) });
  app.use(requestTiming);
  await app.init();
  logger.info(
    {
      publicBaseUrl: env.publicBaseUrl,
      internalToken: env.internal.token === null ? 'not set' : 'required',
      redis: redactUrl(env.redis.url),
      workflow: env.twilio.workflowSid ? 'taskrouter' : 'named queues',
      traceStream: env.traceStream.key,
      flowsDir: env.configPaths.flowsDir,
      rulesDir: env.configPaths.rulesDir,
    },
    'ivr-sim voice service ready',
  );
  return app;
}
