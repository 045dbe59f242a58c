import type { Configuration } from '../configuration/configuration.js';
import { CallDecider } from '../decision/call-decider.js';
import { FlowRuntime } from '../decision/flow-runtime.js';

/**
 * A configuration made ready for live calls: its one FlowRuntime (whose IVR players the webhooks
 * resume) and the decider built on it, which the designer shares.
 */
export interface LiveConfiguration {
  readonly config: Configuration;
  readonly runtime: FlowRuntime;
  readonly decider: CallDecider;
}

export function liveConfigurationOf(config: Configuration): LiveConfiguration {
  const runtime = new FlowRuntime(config);
  return { config, runtime, decider: new CallDecider(config, runtime) };
}

/**
 * The current configuration and the earlier ones that calls in progress may still need: a call
 * finishes on the version it started with. An old version is dropped once no call has asked for
 * it for `retainMs` (the call state TTL: by then no call can still be using it).
 */
export class ConfigVersions {
  private readonly entries = new Map<string, { live: LiveConfiguration; lastUsedMs: number }>();
  private currentVersion: string;

  constructor(
    initial: Configuration,
    private readonly retainMs: number,
    nowMs: number,
  ) {
    this.currentVersion = initial.version;
    this.entries.set(initial.version, { live: liveConfigurationOf(initial), lastUsedMs: nowMs });
  }

  get current(): LiveConfiguration {
    return this.entries.get(this.currentVersion)!.live;
  }

  /**
   * Makes `config` the one new calls start on. False when its version (flows and rules) is
   * already current; the new load still replaces the old one then, since the customers file is
   * not part of the version and may be what changed.
   */
  install(config: Configuration, nowMs: number): boolean {
    const previous = this.entries.get(this.currentVersion)!;
    previous.lastUsedMs = nowMs;
    if (config.version === this.currentVersion) {
      if (config !== previous.live.config) previous.live = liveConfigurationOf(config);
      return false;
    }
    const existing = this.entries.get(config.version);
    if (existing) existing.lastUsedMs = nowMs;
    else this.entries.set(config.version, { live: liveConfigurationOf(config), lastUsedMs: nowMs });
    this.currentVersion = config.version;
    this.prune(nowMs);
    return true;
  }

  /** The configuration of a version, if still held; marks it as in use. */
  get(version: string, nowMs: number): LiveConfiguration | undefined {
    const e = this.entries.get(version);
    if (!e) return undefined;
    e.lastUsedMs = nowMs;
    return e.live;
  }

  /** Versions held, current first, then the others newest first. */
  versions(): string[] {
    return [this.currentVersion, ...[...this.entries.keys()].reverse().filter((v) => v !== this.currentVersion)];
  }

  prune(nowMs: number): void {
    for (const [v, e] of this.entries) {
      if (v !== this.currentVersion && nowMs - e.lastUsedMs > this.retainMs) this.entries.delete(v);
    }
  }
}
