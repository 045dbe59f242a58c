import { SmsService } from '../../src/app/sms/sms.service.js';
import { startService, type Harness } from '../app/harness.js';

export interface SmsAppHarness extends Harness {
  sms: SmsService;
}

/**
 * The voice service as `npm start` builds it (AppModule, SmsModule included), on a real Redis
 * under a key prefix of its own and a manual clock (08:30 UTC, 16:30 in Shanghai); `close`
 * removes every key under the prefix, the SMS queue's included.
 */
export async function startSmsApp(suite: string, env: Record<string, string> = {}): Promise<SmsAppHarness> {
  const h = await startService(`sms-${suite}`, env);
  return Object.assign(h, { sms: h.app.get(SmsService) });
}
