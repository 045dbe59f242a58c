import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { performance } from 'node:perf_hooks';
import type { ConfigIssue } from '../../core/config/config-error.js';
import type { ConfigVersions } from '../../core/telephony/config-versions.js';
import type { AppEnv } from '../config/app-env.js';
import type { ConfigStatus } from '../config/config-status.js';
import type { OutageSpool } from '../spool/outage-spool.js';
import { OUTAGE_SPOOL } from '../spool/spool.module.js';
import { APP_ENV, CONFIG_STATUS, CONFIG_VERSIONS, REDIS } from '../tokens.js';

export interface HealthReport {
  /** down: calls cannot be served through their flows (Redis); degraded: a config edit was refused. */
  status: 'ok' | 'degraded' | 'down';
  redis: { ok: true; latencyMs: number } | { ok: false; error: string };
  config: {
    version: string;
    loadedAt: string;
    reloads: number;
    flows: { id: string; segment: string }[];
    /** Versions held for calls in progress, current first. */
    versionsHeld: string[];
    lastError: { at: string; message: string; issues: ConfigIssue[] } | null;
  };
  signatureValidation: boolean;
  /** Opt-outs and finished calls kept on this instance's disk until Redis takes them. */
  spool: { waiting: number };
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CONFIG_VERSIONS) private readonly versions: ConfigVersions,
    @Inject(CONFIG_STATUS) private readonly status: ConfigStatus,
    @Inject(APP_ENV) private readonly env: AppEnv,
    @Inject(OUTAGE_SPOOL) private readonly outageSpool: OutageSpool,
  ) {}

  async check(): Promise<HealthReport> {
    let redis: HealthReport['redis'];
    const started = performance.now();
    try {
      await this.redis.ping();
      redis = { ok: true, latencyMs: Math.round((performance.now() - started) * 100) / 100 };
    } catch (err) {
      redis = { ok: false, error: (err as Error).message };
    }
    const current = this.versions.current.config;
    const lastError = this.status.lastError;
    return {
      status: !redis.ok ? 'down' : lastError ? 'degraded' : 'ok',
      redis,
      config: {
        version: current.version,
        loadedAt: new Date(this.status.loadedAt).toISOString(),
        reloads: this.status.reloads,
        flows: [...current.flows.flows.values()].map((f) => ({ id: f.id, segment: f.segment })),
        versionsHeld: this.versions.versions(),
        lastError: lastError ? { at: new Date(lastError.at).toISOString(), message: lastError.message, issues: lastError.issues } : null,
      },
      signatureValidation: this.env.twilio.signatureValidation,
      spool: { waiting: this.outageSpool.waiting },
    };
  }
}
