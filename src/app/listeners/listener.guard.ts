import type { ServerResponse } from 'node:http';
import { Inject, Injectable, NotFoundException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppEnv } from '../config/app-env.js';
import type { HttpRequest } from '../http-types.js';
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
    const listener = listenerOf(req);
    if (!servedOn.includes(listener)) throw new NotFoundException(`Cannot ${req.method} ${req.originalUrl}`);
    const token = this.env.internal.token;
    if (listener === 'internal' && token !== null) this.checkToken(token, req, http.getResponse<ServerResponse>());
    return true;
  }

  private checkToken(token: string, req: HttpRequest, res: ServerResponse): void {
    const verdict = checkAccess(token, presentedTokens({ authorization: req.header('authorization'), cookie: req.header('cookie'), url: req.originalUrl }));
    if (!verdict.ok) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="ivr-sim internal"');
      throw verdict.reason === 'missing' ? new InternalTokenMissingError() : new InternalTokenInvalidError();
    }
    // Behind a TLS-terminating proxy the browser talks https: then the cookie is https-only too.
    if (verdict.setCookie) res.appendHeader('Set-Cookie', accessCookie(token, req.header('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'));
  }
}
