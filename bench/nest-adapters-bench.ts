/**
 * What the HTTP layer alone costs per webhook, with NestJS's Fastify adapter (what the service
 * uses) and, when @nestjs/platform-express is installed, its Express adapter. The application is
 * shaped like the voice webhooks but does nothing else: a guard, an interceptor mapping the reply
 * to its XML, @Body and @Query, a form-encoded POST, a TwiML-sized XML answer; no Redis, no flow.
 * Each adapter runs in a child process driven by the webhooks bench's load generator (closed
 * loop, 64 callers, the same signed requests), alternating Express and Fastify; printed: the
 * server's CPU per request (from /proc) and requests per second.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/nest-adapters-bench.js [rounds]
 */

import 'reflect-metadata';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Body, Controller, Header, HttpCode, Injectable, Module, Post, Query, UseGuards, UseInterceptors, type CallHandler, type CanActivate, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import type { LoadResult, LoadSpec } from './webhook-load.js';

const FASTIFY = '@nestjs/platform-fastify';
const EXPRESS = '@nestjs/platform-express';

@Injectable()
class SignedGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    return typeof req.headers['x-twilio-signature'] === 'string';
  }
}

@Injectable()
class XmlInterceptor implements NestInterceptor<{ xml: string }, string> {
  intercept(_ctx: ExecutionContext, next: CallHandler<{ xml: string }>): Observable<string> {
    return next.handle().pipe(map((r) => r.xml));
  }
}

const twiml = (step: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Say language="cmn-CN" voice="Polly.Zhiyu">您的账户余额为431.36元。本月账单将以短信发送给您。</Say>` +
  `<Gather input="dtmf" numDigits="1" finishOnKey="" timeout="5" action="https://ivr.bench.test/voice/gather?step=${step}" method="POST" actionOnEmptyResult="true" language="cmn-Hans-CN">` +
  `<Say language="cmn-CN" voice="Polly.Zhiyu">返回主菜单请按1，人工服务请按0，结束通话请按9。</Say></Gather>` +
  `<Redirect method="POST">https://ivr.bench.test/voice/gather?step=${step}&amp;noInput=1</Redirect></Response>`;

@Controller('voice')
@UseGuards(SignedGuard)
@UseInterceptors(XmlInterceptor)
class WebhookShapedController {
  @Post('incoming')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  incoming(@Body() body: Record<string, string>): { xml: string; log: unknown } {
    return { xml: twiml(1), log: { callSid: body['CallSid'] } };
  }

  @Post('gather')
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  gather(@Body() body: Record<string, string>, @Query() query: Record<string, string>): { xml: string; log: unknown } {
    return { xml: twiml(Number(query['step']) + 1), log: { callSid: body['CallSid'], digits: body['Digits'] } };
  }
}

@Module({ controllers: [WebhookShapedController], providers: [SignedGuard, XmlInterceptor] })
class WebhookShapedModule {}

async function serve(adapter: 'express' | 'fastify'): Promise<void> {
  let app;
  if (adapter === 'fastify') {
    const { FastifyAdapter } = (await import(FASTIFY)) as { FastifyAdapter: new () => never };
    app = await NestFactory.create(WebhookShapedModule, new FastifyAdapter(), { logger: false });
  } else {
    app = await NestFactory.create(WebhookShapedModule, { logger: false });
  }
  await app.listen(0, '127.0.0.1');
  process.send!({ port: (app.getHttpServer().address() as { port: number }).port });
  process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

async function measure(adapter: 'express' | 'fastify', round: number): Promise<string> {
  const server = fork(fileURLToPath(import.meta.url), ['serve', adapter], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve((m as { port: number }).port)));
  const run = async (seconds: number, warmupSec: number) => {
    const before = cpuMs(server.pid!);
    const gen = fork(fileURLToPath(new URL('./webhook-load.js', import.meta.url)), [], { stdio: 'inherit' });
    const spec: LoadSpec = {
      mode: 'closed',
      url: `http://127.0.0.1:${port}`,
      baseUrl: 'https://ivr.bench.test',
      authToken: '0123456789abcdef0123456789abcdef',
      accountSid: 'AC' + 'a1'.repeat(16),
      sidPrefix: `abcdef${(16 + round * 2 + (adapter === 'fastify' ? 1 : 0)).toString(16).padStart(2, '0')}`,
      gathersPerCall: 8,
      lanes: 64,
      rate: 0,
      warmupSec,
      seconds,
    };
    const r = await new Promise<LoadResult>((resolve) => {
      gen.once('message', (m) => resolve(m as LoadResult));
      gen.send(spec);
    });
    return { r, usPerRequest: ((cpuMs(server.pid!) - before) / r.answered) * 1000 };
  };
  await run(2, 0);
  const { r, usPerRequest } = await run(6, 1);
  server.kill('SIGTERM');
  return `${adapter.padEnd(8)} ${r.requestsPerSec.toFixed(0).padStart(6)} requests/s   server CPU ${usPerRequest.toFixed(0).padStart(5)} µs/request   errors ${r.errors}`;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 3);
  let express = true;
  try {
    await import(EXPRESS);
  } catch {
    express = false;
    process.stdout.write(`${EXPRESS} is not installed: Fastify only (npm install --no-save ${EXPRESS}@<the @nestjs/core minor> for the comparison)\n`);
  }
  for (let i = 0; i < rounds; i++) {
    if (express) process.stdout.write((await measure('express', i)) + '\n');
    process.stdout.write((await measure('fastify', i)) + '\n');
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3] as 'express' | 'fastify');
else await main();
