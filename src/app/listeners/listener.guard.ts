import { Inject, Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppEnv } from '../config/app-env.js';
import { requestHeader, type HttpReply, type HttpRequest } from '../http-types.js';
import { APP_ENV } from '../tokens.js';
import { accessCookie, checkAccess, presentedTokens } from './internal-token.js';
import { InternalTokenInvalidError, InternalTokenMissingError } from './internal-token-errors.js';
import { DEFAULT_SERVED_ON, listenerOf, SERVED_ON, type Listener } from './listener.js';

/**
 * Runs before every handler. A route asked for on a listener it is not served on is answered
 * exactly as a path that does not exist (404 "Cannot GET …"), so the public port does not even
 * say the internal pages are there. On the internal listener, with INTERNAL_TOKEN set, the
 * request must carry the token (401 otherwise).
 */
@Injectable()
export class ListenerGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(APP_ENV) private readonly env: AppEnv,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<HttpRequest>();
    const servedOn = this.reflector.getAllAndOverride<readonly Listener[] | undefined>(SERVED_ON, [context.getHandler(), context.getClass()]) ?? DEFAULT_SERVED_ON;
    const listener = listenerOf(req.raw);
    if (!servedOn.includes(listener)) throw new NotFoundException(`Cannot ${req.method} ${req.url}`);
    const token = this.env.internal.token;
    if (listener === 'internal' && token !== null) this.checkToken(token, req, http.getResponse<HttpReply>());
    return true;
  }

  private checkToken(token: string, req: HttpRequest, reply: HttpReply): void {
    const verdict = checkAccess(token, presentedTokens({ authorization: requestHeader(req, 'authorization'), cookie: requestHeader(req, 'cookie'), url: req.url }));
    if (!verdict.ok) {
      reply.raw.setHeader('WWW-Authenticate', 'Bearer realm="ivr-sim internal"');
      throw verdict.reason === 'missing' ? new InternalTokenMissingError() : new InternalTokenInvalidError();
    }
    // Behind a TLS-terminating proxy the browser talks https: then the cookie is https-only too. Set on the
    // response underneath, so that an event stream, which writes its head there itself, carries it as well.
    if (verdict.setCookie) reply.raw.appendHeader('Set-Cookie', accessCookie(token, requestHeader(req, 'x-forwarded-proto')?.split(',')[0]?.trim() === 'https'));
  }
}
