import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ConfigError, type ConfigIssue } from '../../core/config/config-error.js';
import { loadConfiguration, type Configuration } from '../../core/configuration/configuration.js';
import type { Clock } from '../../core/time/clock.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { AppLogger } from '../../infra/logging/logger.js';
import { APP_ENV, CLOCK, CONFIG_STATUS, CONFIG_VERSIONS, LOGGER } from '../tokens.js';
import type { AppEnv } from './app-env.js';
import type { ConfigStatus } from './config-status.js';

/** What a reload did: the configuration now served, or why the files were refused. */
export type ReloadResult = { ok: true; config: Configuration; changed: boolean } | { ok: false; message: string; issues: ConfigIssue[]; failed?: true };

/**
 * Reloads flows, rules and customers when their files change (debounced: editors write in
 * bursts). A configuration that does not load never reaches callers: the last good one keeps
 * serving and the error shows on /health. Calls in progress keep the version they started with.
 */
@Injectable()
export class ConfigWatcher implements OnModuleInit, OnModuleDestroy {
  private watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** While above 0, file events are ignored: a batch of files is being written and reloads once, at its end. */
  private suppressed = 0;

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
    const onChange = () => {
      if (this.suppressed === 0) this.schedule();
    };
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

  /**
   * Ignores file events until `resume`: the flow editor writes several files and then reloads
   * once itself, never in between.
   */
  suppress(): void {
    this.suppressed++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  resume(): void {
    this.suppressed = Math.max(0, this.suppressed - 1);
  }

  /** Loads the files again; public so an operator action (or a test) can force it. A refusal shows on /health. */
  reload(): void {
    const r = this.tryReload();
    if (r.ok) return;
    this.status.rejected(r.message, r.issues, this.clock.now());
    if (r.failed) this.log.error({ err: r.message }, 'configuration reload failed; still serving the last good version');
    else this.log.error({ configVersion: this.versions.current.config.version, issues: r.issues }, 'configuration rejected; still serving the last good version');
  }

  /**
   * Loads the files and serves them when they load; when they do not, the last good version
   * keeps serving and the caller decides what to do (the flow editor puts its files back).
   */
  tryReload(): ReloadResult {
    const now = this.clock.now();
    try {
      const config = loadConfiguration(this.env.configPaths);
      const changed = this.versions.install(config, now);
      this.status.loaded(config.version, now);
      if (changed) this.log.info({ configVersion: config.version, held: this.versions.versions() }, 'configuration reloaded: new calls use the new version');
      return { ok: true, config, changed };
    } catch (err) {
      if (!(err instanceof ConfigError)) {
        return { ok: false, message: (err as Error).message, issues: [], failed: true };
      }
      return { ok: false, message: err.message, issues: err.issues.filter((i) => i.severity === 'error') };
    }
  }
}
