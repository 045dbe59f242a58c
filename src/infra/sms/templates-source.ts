import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../core/config/config-error.js';
import { loadRules, type SmsTemplate } from '../../core/rules/rule-files.js';

/**
 * The SMS templates of a rules directory, re-read when sms-templates.json changes (checked at
 * most once a second), so the worker renders what the designers last saved. A bad edit is
 * reported and the last good templates keep serving.
 */
export class TemplatesSource {
  private templates: ReadonlyMap<string, SmsTemplate>;
  private stamp: string;
  private checkedAt = 0;

  constructor(
    readonly rulesDir: string,
    private readonly onRejected: (err: ConfigError) => void = () => undefined,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.stamp = this.stampNow();
    this.templates = loadRules(rulesDir).templates;
  }

  current(): ReadonlyMap<string, SmsTemplate> {
    const t = this.now();
    if (t - this.checkedAt < 1000) return this.templates;
    this.checkedAt = t;
    const stamp = this.stampNow();
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.templates = loadRules(this.rulesDir).templates;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        this.onRejected(err);
      }
    }
    return this.templates;
  }

  private stampNow(): string {
    try {
      const s = statSync(join(this.rulesDir, 'sms-templates.json'));
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }
}
