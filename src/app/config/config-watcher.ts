import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigError } from '../../core/config/config-error.js';
import { loadConfiguration } from '../../core/configuration/configuration.js';
import type { Clock } from '../../core/time/clock.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { APP_ENV, CLOCK, CONFIG_STATUS, CONFIG_VERSIONS, LOGGER } from '../tokens.js';
import type { AppEnv } from './app-env.js';
import type { ConfigStatus } from './config-status.js';

/**
 * Reloads flows, rules and customers when their files change (debounced: editors write in
 * bursts). A configuration that does not load never reaches callers: the last good one keeps
 * serving and the error shows on /health. Calls in progress keep the version they started with.
 */
@Injectable()
export class ConfigWatcher implements OnModuleInit, OnModuleDestroy {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_ENV) private readonly env: AppEnv,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(CONFIG_STATUS) private readonly status: ConfigStatus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: AppLogger,
  ) {}

  onModuleInit(): void {
    if (!this.env.configWatch.enabled) return;
    const { flowsDir, rulesDir, customersFile } = this.env.configPaths;
    const onChange = () => this.schedule();
    this.watchers.push(watch(flowsDir, { recursive: true }, onChange), watch(rulesDir, { recursive: true }, onChange));
    const customers = basename(customersFile);
    this.watchers.push(watch(dirname(customersFile), (_event, name) => (name === null || name === customers ? onChange() : undefined)));
    for (const w of this.watchers) w.on('error', (err) => this.log.warn({ err: err.message }, 'config watch error'));
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.reload();
    }, this.env.configWatch.debounceMs);
  }

  /** Loads the files again; public so an operator action (or a test) can force it. */
  reload(): void {
    const now = this.clock.now();
    try {
      const config = loadConfiguration(this.env.configPaths);
      const changed = this.versions.install(config, now);
      this.status.loaded(config.version, now);
      if (changed) this.log.info({ configVersion: config.version, held: this.versions.versions() }, 'configuration reloaded: new calls use the new version');
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        this.status.rejected((err as Error).message, [], now);
        this.log.error({ err: (err as Error).message }, 'configuration reload failed; still serving the last good version');
        return;
      }
      const issues = err.issues.filter((i) => i.severity === 'error');
      this.status.rejected(err.message, issues, now);
      this.log.error({ configVersion: this.versions.current.config.version, issues }, 'configuration rejected; still serving the last good version');
    }
  }
}
