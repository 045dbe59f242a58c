import { existsSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { defaultPaths, PACKAGE_ROOT, type ConfigPaths } from '../../core/configuration/configuration.js';
import { envReader } from '../../infra/env/env-reader.js';
import { DEFAULT_TRACE_STREAM, readRedisEnv, traceStreamProblem } from '../../infra/env/redis-env.js';
import { NamedError } from '../../core/errors/named-error.js';

/** Everything the service reads from the environment, read once at start-up. */
export interface AppEnv {
  /** The public listener (Twilio's webhooks and /health): HOST (null: every interface) and PORT. */
  port: number;
  host: string | null;
  /**
   * The internal listener: the designer, the agent desktop, the event streams, /sms/stats and
   * anything else that shows customer data. Loopback unless INTERNAL_HOST says otherwise; with
   * INTERNAL_TOKEN set, every request on it must carry that token.
   */
  internal: { host: string; port: number; token: string | null };
  /** Public origin Twilio calls (plus any path prefix a proxy strips), without a trailing slash. */
  publicBaseUrl: string;
  twilio: {
    authToken: string;
    accountSid: string;
    /** TaskRouter workflow: hand-offs become tasks; without it they go to a named <Enqueue> queue. */
    workflowSid: string | null;
    /** Off only as an explicit development setting (TWILIO_SIGNATURE_VALIDATION=off). */
    signatureValidation: boolean;
    taskTimeoutSec: number;
    holdMusicUrl: string;
  };
  redis: { url: string; keyPrefix: string; commandTimeoutMs: number };
  callStateTtlSec: number;
  /** How long a recorded CallSid is remembered, so that a replayed request for it changes nothing. */
  callTombstoneTtlSec: number;
  /** `key` is REDIS_KEY_PREFIX + TRACE_STREAM. */
  traceStream: { key: string; maxLen: number };
  /**
   * Where opt-outs and finished calls wait on local disk while Redis cannot take them: the file
   * `<dir>/<name>.jsonl`, one per instance, drained every `retryMs` until Redis takes it.
   */
  spool: { dir: string; name: string; retryMs: number };
  configPaths: ConfigPaths;
  /** The caller-behaviour model: its mean handle times go on recorded calls no agent answered. */
  callerBehaviourFile: string;
  configWatch: { enabled: boolean; debounceMs: number };
  /**
   * The flow editor: the staffing file its checks and comparisons use (STAFFING_FILE, the CLI's
   * default), and where every version it saves is kept (DESIGNER_HISTORY_DIR, default
   * `designer-history` next to the flows directory; never inside flows/ or rules/).
   */
  designer: { staffingFile: string; historyDir: string };
  logLevel: string;
}

export class AppEnvError extends NamedError {
  readonly code = 'ENV_INVALID';
  constructor(readonly problems: string[]) {
    super(`the environment is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AppEnvError';
  }
}

export const DEFAULT_INTERNAL_HOST = '127.0.0.1';
export const DEFAULT_INTERNAL_PORT = 3001;
const DEFAULT_HOLD_MUSIC = 'http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3';

/** Reads and checks the environment; throws AppEnvError listing every problem, not just the first. */
export function loadAppEnv(env: NodeJS.ProcessEnv = process.env): AppEnv {
  const problems: string[] = [];
  const read = envReader(env, problems);
  const { str, int, onOff } = read;

  const port = int('PORT', 3000, 1, 65535);
  const listenHost = (name: string): string | undefined => {
    const raw = str(name);
    if (raw !== undefined && !/^[A-Za-z0-9._:%-]+$/.test(raw)) problems.push(`${name}=${raw}: expected a host name or IP address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::`);
    return raw;
  };
  const host = listenHost('HOST') ?? null;
  const internalHost = listenHost('INTERNAL_HOST') ?? DEFAULT_INTERNAL_HOST;
  const internalPort = int('INTERNAL_PORT', DEFAULT_INTERNAL_PORT, 0, 65535);
  const everywhere = (h: string | null) => h === null || h === '0.0.0.0' || h === '::';
  if (internalPort !== 0 && internalPort === port && (everywhere(host) || everywhere(internalHost) || host === internalHost)) {
    problems.push(`INTERNAL_PORT=${internalPort}: PORT is ${port} on the same interface; the internal pages need a listener of their own`);
  }
  const internalToken = str('INTERNAL_TOKEN') ?? null;
  // Never echo the token itself: the message ends up in logs.
  if (internalToken !== null && !/^[A-Za-z0-9._~-]{16,}$/.test(internalToken)) {
    problems.push(`INTERNAL_TOKEN: expected at least 16 letters, digits, '.', '_', '~' or '-' (e.g. the output of openssl rand -hex 32); got ${internalToken.length} characters`);
  }

  let publicBaseUrl = str('PUBLIC_BASE_URL') ?? '';
  if (!publicBaseUrl) problems.push('PUBLIC_BASE_URL is not set: the https origin Twilio reaches this service at, e.g. https://ivr.example.com');
  else if (!/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(publicBaseUrl)) problems.push(`PUBLIC_BASE_URL=${publicBaseUrl}: expected an http(s) URL without query or fragment`);
  publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');

  const signatureValidation = onOff('TWILIO_SIGNATURE_VALIDATION', true);
  const authToken = str('TWILIO_AUTH_TOKEN') ?? '';
  if (!authToken && signatureValidation) problems.push('TWILIO_AUTH_TOKEN is not set: webhook signatures are checked with it (TWILIO_SIGNATURE_VALIDATION=off only for local development)');
  const accountSid = str('TWILIO_ACCOUNT_SID') ?? '';
  if (!accountSid) problems.push('TWILIO_ACCOUNT_SID is not set: the account whose calls this service answers (AC followed by 32 hex digits)');
  else if (!/^AC[0-9a-f]{32}$/i.test(accountSid)) problems.push(`TWILIO_ACCOUNT_SID=${accountSid}: expected AC followed by 32 hex digits`);
  const workflowSid = str('TWILIO_WORKFLOW_SID') ?? null;
  if (workflowSid !== null && !/^WW[0-9a-f]{32}$/i.test(workflowSid)) problems.push(`TWILIO_WORKFLOW_SID=${workflowSid}: expected WW followed by 32 hex digits`);

  const { url: redisUrl, keyPrefix } = readRedisEnv(read);

  const d = defaultPaths();
  const configPaths: ConfigPaths = {
    flowsDir: resolve(str('FLOWS_DIR') ?? d.flowsDir),
    rulesDir: resolve(str('RULES_DIR') ?? d.rulesDir),
    customersFile: resolve(str('CUSTOMERS_FILE') ?? d.customersFile),
  };
  const mustBe = (name: string, path: string, kind: 'directory' | 'file') => {
    const ok = existsSync(path) && (kind === 'directory' ? statSync(path).isDirectory() : statSync(path).isFile());
    if (!ok) problems.push(`${name}: ${path} is not a ${kind}`);
  };
  mustBe('FLOWS_DIR', configPaths.flowsDir, 'directory');
  mustBe('RULES_DIR', configPaths.rulesDir, 'directory');
  mustBe('CUSTOMERS_FILE', configPaths.customersFile, 'file');
  const callerBehaviourFile = resolve(str('CALLER_BEHAVIOUR_FILE') ?? resolve(PACKAGE_ROOT, 'data', 'caller-behaviour.json'));
  mustBe('CALLER_BEHAVIOUR_FILE', callerBehaviourFile, 'file');

  const spoolName = str('SPOOL_NAME') ?? `${hostname()}-${port}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spoolName)) problems.push(`SPOOL_NAME=${spoolName}: expected letters, digits, '.', '_' or '-' (it names a file)`);
  const spoolDir = resolve(str('SPOOL_DIR') ?? 'spool');
  if (existsSync(spoolDir) && !statSync(spoolDir).isDirectory()) problems.push(`SPOOL_DIR: ${spoolDir} is not a directory`);

  const traceStreamName = str('TRACE_STREAM') ?? DEFAULT_TRACE_STREAM;
  const traceProblem = traceStreamProblem(traceStreamName, keyPrefix);
  if (traceProblem) problems.push(traceProblem);

  const staffingFile = resolve(str('STAFFING_FILE') ?? resolve(PACKAGE_ROOT, 'data', 'staffing.json'));
  const historyDir = resolve(str('DESIGNER_HISTORY_DIR') ?? join(dirname(configPaths.flowsDir), 'designer-history'));
  for (const [name, dir] of [['FLOWS_DIR', configPaths.flowsDir], ['RULES_DIR', configPaths.rulesDir]] as const) {
    const rel = relative(dir, historyDir);
    if (!rel.startsWith('..') && !rel.startsWith('/')) problems.push(`DESIGNER_HISTORY_DIR: ${historyDir} is inside ${name} (${dir}), where the service would read it as configuration`);
  }
  if (existsSync(historyDir) && !statSync(historyDir).isDirectory()) problems.push(`DESIGNER_HISTORY_DIR: ${historyDir} is not a directory`);

  const logLevel = read.logLevel();

  const result: AppEnv = {
    port,
    host,
    internal: { host: internalHost, port: internalPort, token: internalToken },
    publicBaseUrl,
    twilio: {
      authToken,
      accountSid,
      workflowSid,
      signatureValidation,
      taskTimeoutSec: int('TWILIO_TASK_TIMEOUT_SEC', 3600, 60, 86_400),
      holdMusicUrl: str('HOLD_MUSIC_URL') ?? DEFAULT_HOLD_MUSIC,
    },
    redis: { url: redisUrl, keyPrefix, commandTimeoutMs: int('REDIS_COMMAND_TIMEOUT_MS', 500, 10, 60_000) },
    callStateTtlSec: int('CALL_STATE_TTL_SEC', 14_400, 60, 7 * 86_400),
    callTombstoneTtlSec: int('CALL_TOMBSTONE_TTL_SEC', 86_400, 60, 30 * 86_400),
    traceStream: { key: keyPrefix + traceStreamName, maxLen: int('TRACE_STREAM_MAXLEN', 1_000_000, 1, 1_000_000_000) },
    spool: { dir: spoolDir, name: spoolName, retryMs: int('SPOOL_RETRY_MS', 1000, 10, 60_000) },
    configPaths,
    callerBehaviourFile,
    configWatch: { enabled: onOff('CONFIG_WATCH', true), debounceMs: int('CONFIG_RELOAD_DEBOUNCE_MS', 300, 0, 60_000) },
    designer: { staffingFile, historyDir },
    logLevel,
  };
  if (problems.length) throw new AppEnvError(problems);
  return result;
}
