/** What scripts/prepare-test-env.mjs found on this machine. */
export interface TestEnvFacts {
  /** Redis's answer to PING at 127.0.0.1:6379 ("PONG", or an error text), null when nothing answers. */
  redisReply: string | null;
  redisServerInstalled: boolean;
  /** The Chromium the browser specs drive: $IVR_SIM_CHROMIUM, else /usr/bin/chromium. */
  chromiumPath: string;
  chromiumPresent: boolean;
  isRoot: boolean;
}

export interface TestEnvAction {
  what: string;
  command: string[];
  env?: Record<string, string>;
}

/** Problems stop everything before any action runs. */
export interface TestEnvPlan {
  actions: TestEnvAction[];
  problems: string[];
}

export const DEBIAN_CHROMIUM: string;
export const REDIS_HOST: string;
export const REDIS_PORT: number;
export const REDIS_SERVER_COMMAND: string[];
export const CHROMIUM_INSTALL_COMMANDS: string[][];
export function planTestEnv(facts: TestEnvFacts): TestEnvPlan;
export function pingRedis(host?: string, port?: number, timeoutMs?: number): Promise<string | null>;
export function gatherFacts(env?: NodeJS.ProcessEnv): Promise<TestEnvFacts>;
