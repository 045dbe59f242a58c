import type { ConfigIssue } from '../../core/config/config-error.js';

/** What /health says about the flows and rules being served. */
export class ConfigStatus {
  loadedAt: number;
  version: string;
  reloads = 0;
  lastError: { at: number; message: string; issues: ConfigIssue[] } | null = null;

  constructor(version: string, atMs: number) {
    this.version = version;
    this.loadedAt = atMs;
  }

  loaded(version: string, atMs: number): void {
    this.version = version;
    this.loadedAt = atMs;
    this.reloads++;
    this.lastError = null;
  }

  rejected(message: string, issues: ConfigIssue[], atMs: number): void {
    this.lastError = { at: atMs, message, issues };
  }
}
