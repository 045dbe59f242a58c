import 'reflect-metadata';
import { parse as parseQueryString } from 'node:querystring';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { redactUrl } from '../infra/redis/redact-url.js';
import { AppModule, type AppOptions } from './app.module.js';
import { isLoopback } from './listeners/listener.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { noteRequestStart } from './logging/request-timing.js';
import { registerBodyParsers, type ContentTypeParsers } from './request-bodies.js';

/**
 * NestJS's Fastify adapter (about a quarter of the Express adapter's CPU per webhook, `npm run
 * bench:adapters`), set to answer as the service always has: paths matched whatever their case
 * and with or without a trailing slash, the query read by node:querystring (a repeated parameter
 * is an array), bodies read as request-bodies.ts says, Node's own keep-alive and request timeouts.
 */
function httpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, querystringParser: (s: string) => parseQueryString(s) },
    keepAliveTimeout: 5000,
    requestTimeout: 300_000,
  });
}

/**
 * Builds and initialises the service (not listening yet): `main.ts` listens, tests use supertest
 * on `app.getHttpServer()`, which serves requests as soon as this resolves (Fastify is ready).
 * One application, two HTTP servers: `app.getHttpServer()` is the public listener (webhooks,
 * /health), `app.get(InternalListener).server` the internal one (pages, APIs, event streams).
 */
export async function createApp(opts: AppOptions): Promise<NestFastifyApplication> {
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
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(opts), httpAdapter(), { logger: new NestPinoLogger(logger), bodyParser: false });
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(fastify as unknown as ContentTypeParsers);
  fastify.addHook('onRequest', noteRequestStart);
  await app.init();
  await fastify.ready();
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
