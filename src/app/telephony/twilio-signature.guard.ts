import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { requestHeader, requestPath, type HttpRequest } from '../http-types.js';
import { timingSafeEqual } from 'node:crypto';
import twilio from 'twilio';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV } from '../tokens.js';
import { TwilioAccountMismatchError, TwilioSignatureInvalidError, TwilioSignatureMissingError } from './webhook-errors.js';

/**
 * The signature of the URL exactly as requested, compared in constant time: one HMAC, which is
 * what a genuine request needs. `validateRequest` checks that URL too, but first rewrites it
 * with and without the port (URL parsing each time) and, when those fail, tries escaped forms;
 * it stays the fallback, so exactly the requests it accepts are accepted.
 */
function signedAsRequested(authToken: string, signature: string, url: string, params: Record<string, unknown>): boolean {
  const expected = Buffer.from(twilio.getExpectedTwilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Only Twilio may drive calls: X-Twilio-Signature must be the HMAC of the URL Twilio requested
 * (PUBLIC_BASE_URL + path + query) and the posted parameters under TWILIO_AUTH_TOKEN.
 * The failures are named errors; the global filter answers 400/403 and logs them (never the token).
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  constructor(@Inject(APP_ENV) private readonly env: AppEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const path = requestPath(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (this.env.twilio.signatureValidation) {
      const signature = requestHeader(req, 'x-twilio-signature');
      if (!signature) throw new TwilioSignatureMissingError(path);
      const url = this.env.publicBaseUrl + req.url;
      if (!signedAsRequested(this.env.twilio.authToken, signature, url, body) && !twilio.validateRequest(this.env.twilio.authToken, signature, url, body)) {
        throw new TwilioSignatureInvalidError(path);
      }
    }
    const account = body['AccountSid'];
    if (typeof account === 'string' && account !== '' && account !== this.env.twilio.accountSid) throw new TwilioAccountMismatchError(path);
    return true;
  }
}
