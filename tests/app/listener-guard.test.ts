import { NotFoundException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { loadAppEnv } from '../../src/app/config/app-env.js';
import { ListenerGuard } from '../../src/app/listeners/listener.guard.js';
import { markInternal, ServedOn } from '../../src/app/listeners/listener.js';
import { TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_BASE_URL } from '../helpers/twilio.js';

/** A controller someone adds later and forgets to place. */
class NewReportController {
  customersReport(): void {}
}

class WebhookController {
  @ServedOn('public')
  hook(): void {}
}

function contextFor(controller: new () => object, handler: string, internal: boolean): ExecutionContext {
  const raw = {};
  const req = { raw, method: 'GET', url: '/reports/customers', headers: {} };
  if (internal) markInternal(raw);
  return {
    getType: () => 'http',
    getClass: () => controller,
    getHandler: () => (controller.prototype as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

describe('ListenerGuard', () => {
  const guard = new ListenerGuard(new Reflector(), loadAppEnv({ PUBLIC_BASE_URL: TEST_BASE_URL, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID }));

  it('serves a route that does not say where only on the internal listener', () => {
    expect(() => guard.canActivate(contextFor(NewReportController, 'customersReport', false))).toThrow(NotFoundException);
    expect(() => guard.canActivate(contextFor(NewReportController, 'customersReport', false))).toThrow('Cannot GET /reports/customers');
    expect(guard.canActivate(contextFor(NewReportController, 'customersReport', true))).toBe(true);
  });

  it("serves a handler marked @ServedOn('public') only on the public listener", () => {
    expect(guard.canActivate(contextFor(WebhookController, 'hook', false))).toBe(true);
    expect(() => guard.canActivate(contextFor(WebhookController, 'hook', true))).toThrow(NotFoundException);
  });
});
