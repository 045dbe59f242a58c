import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { requestPath, type HttpReply, type HttpRequest } from '../http-types.js';
import { map, type Observable } from 'rxjs';
import type { AppLogger } from '../../infra/logging/logger.js';
import { latencyMs } from '../logging/request-timing.js';
import { LOGGER } from '../tokens.js';
import type { WebhookReply } from './voice.service.js';

/** One JSON log line per answered webhook (CallSid, state, latency), then the TwiML as the body. Failures are logged by the exception filter. */
@Injectable()
export class WebhookLogInterceptor implements NestInterceptor<WebhookReply, string> {
  constructor(@Inject(LOGGER) private readonly log: AppLogger) {}

  intercept(context: ExecutionContext, next: CallHandler<WebhookReply>): Observable<string> {
    const http = context.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    const res = http.getResponse<HttpReply>();
    return next.handle().pipe(
      map((reply) => {
        const line = { webhook: requestPath(req), ...reply.log, status: res.statusCode, latencyMs: latencyMs(req) };
        if (reply.log['fault'] !== undefined) this.log.warn(line, 'webhook answered with a fault turn');
        else this.log.info(line, 'webhook');
        return reply.xml;
      }),
    );
  }
}
