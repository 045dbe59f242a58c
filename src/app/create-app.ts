import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { redactUrl } from './config/app-env.js';
import { AppModule, type AppOptions } from './app.module.js';
import { NestPinoLogger } from './logging/logger.js';
import { requestTiming } from './logging/request-timing.js';

/** Builds and initialises the service (not listening yet): `main.ts` listens, tests use supertest. */
export async function createApp(opts: AppOptions): Promise<INestApplication> {
  const { env, logger } = opts;
  if (!env.twilio.signatureValidation) {
    logger.warn(
      { setting: 'TWILIO_SIGNATURE_VALIDATION=off' },
      'WEBHOOK SIGNATURES ARE NOT CHECKED: anyone who can reach this service can drive calls. Development only; never in production.',
    );
  }
  const app = await NestFactory.create(AppModule.forRoot(opts), { logger: new NestPinoLogger(logger) });
  app.use(requestTiming);
  await app.init();
  logger.info(
    {
      publicBaseUrl: env.publicBaseUrl,
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
