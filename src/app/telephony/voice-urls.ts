import type { Language } from '../../core/profile/customer-profile.js';

/**
 * Absolute webhook URLs, built from PUBLIC_BASE_URL: Twilio signs the URL it requested, and the
 * signature guard rebuilds it from the same base, so the two always agree.
 */
export class VoiceUrls {
  constructor(private readonly base: string) {}

  incoming(): string {
    return `${this.base}/voice/incoming`;
  }

  /** The step number makes a retried request recognisable (see LiveCallCoordinator). */
  gather(step: number, opts: { noInput?: boolean } = {}): string {
    return `${this.base}/voice/gather?step=${step}${opts.noInput ? '&noInput=1' : ''}`;
  }

  status(): string {
    return `${this.base}/voice/status`;
  }

  hold(language: Language): string {
    return `${this.base}/voice/hold?lang=${encodeURIComponent(language)}`;
  }

  queueResult(): string {
    return `${this.base}/voice/queue-result`;
  }
}
