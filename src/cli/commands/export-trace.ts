import type { Command } from 'commander';
import { DEFAULT_REDIS_KEY_PREFIX, DEFAULT_REDIS_URL, DEFAULT_TRACE_STREAM, traceStreamProblem } from '../../infra/env/redis-env.js';
import { redactUrl } from '../../infra/redis/redact-url.js';
import { oneShotRedis } from '../../infra/redis/redis-client.js';
import { RedisTraceStream } from '../../infra/recording/redis-trace-stream.js';
import type { TraceLine } from '../../core/trace/trace-line.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { NamedError } from '../../core/errors/named-error.js';
import { checkOutputPath, writeOutputs } from '../output-path.js';

interface ExportTraceFlags {
  fromRedis?: boolean;
  redisUrl?: string;
  stream?: string;
  prefix?: string;
  since?: string;
  out?: string;
}

/** Redis could not be reached or read: nothing was exported. */
export class TraceExportError extends NamedError {
  readonly code = 'TRACE_EXPORT_FAILED';
  override readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'TraceExportError';
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an ISO-8601 time, or a duration back from `nowMs` such as 30m, 24h or 7d. */
export function parseSince(text: string, nowMs: number): number {
  const t = text.trim();
  const d = /^(\d+(?:\.\d+)?)([smhd])$/.exec(t);
  if (d) return nowMs - Number(d[1]) * UNIT_MS[d[2]!]!;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`--since ${text}: expected an ISO time (2025-06-02T08:00:00Z) or a duration such as 30m, 24h, 7d`);
  return ms;
}

/** The stream the voice service records in: REDIS_KEY_PREFIX + TRACE_STREAM, as it reads them. */
export function traceStreamKey(prefix: string | undefined, env: NodeJS.ProcessEnv): string {
  const name = env['TRACE_STREAM']?.trim() || DEFAULT_TRACE_STREAM;
  const keyPrefix = prefix ?? (env['REDIS_KEY_PREFIX']?.trim() || DEFAULT_REDIS_KEY_PREFIX);
  const problem = traceStreamProblem(name, keyPrefix);
  if (problem) throw new UsageError(`${problem} (or name the whole key with --stream)`);
  return keyPrefix + name;
}

export function registerExportTraceCommand(program: Command, io: CliIO): void {
  program
    .command('export-trace')
    .description('write the calls the voice service recorded as a JSON Lines trace (one call per line, by arrival, replayable)')
    .option('--from-redis', 'read the Redis stream the voice service records completed calls in')
    .option('--redis-url <url>', `Redis to read (default: $REDIS_URL, else ${DEFAULT_REDIS_URL})`)
    .option('--prefix <prefix>', `the voice service's key prefix (default: $REDIS_KEY_PREFIX, else ${DEFAULT_REDIS_KEY_PREFIX})`)
    .option('--stream <key>', `the whole stream key (default: the prefix + $TRACE_STREAM, else ${DEFAULT_REDIS_KEY_PREFIX}${DEFAULT_TRACE_STREAM})`)
    .option('--since <when>', 'only calls recorded since then: an ISO time, or a duration back from now (30m, 24h, 7d)')
    .option('--out <file>', 'write the trace to this file instead of stdout')
    .action(async (flags: ExportTraceFlags) => {
      if (!flags.fromRedis) throw new UsageError('export-trace needs a source: --from-redis');
      const sinceMs = flags.since === undefined ? 0 : parseSince(flags.since, Date.now());
      const out = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'file');
      const url = flags.redisUrl ?? process.env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
      const key = flags.stream ?? traceStreamKey(flags.prefix, process.env);
      const redis = oneShotRedis(url); // a failure is reported below, once
      let count = 0;
      try {
        try {
          await redis.connect();
        } catch (err) {
          throw new TraceExportError(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`);
        }
        const stream = new RedisTraceStream(redis, key, 0);
        const lines: TraceLine[] = [];
        const seen = new Set<string>();
        try {
          for await (const line of stream.read(sinceMs)) {
            // A call is recorded once; should a line ever come twice, the first one counts.
            if (seen.has(line.callId)) continue;
            seen.add(line.callId);
            lines.push(line);
          }
        } catch (err) {
          throw new TraceExportError(`reading stream ${key} at ${redactUrl(url)}: ${(err as Error).message}`);
        }
        // Recorded when each call ended; a trace lists calls by arrival (stable for equal times).
        lines.sort((a, b) => Date.parse(a.arrivalTime ?? '') - Date.parse(b.arrivalTime ?? ''));
        count = lines.length;
        if (out) {
          // Written whole or not at all; should that fail, the calls go to stdout rather than be lost.
          const text = lines.map((line) => JSON.stringify(line) + '\n').join('');
          writeOutputs(io, [{ file: out, text }], text);
        } else for (const line of lines) io.out(JSON.stringify(line) + '\n');
      } finally {
        redis.disconnect();
      }
      io.err(`exported ${count} call${count === 1 ? '' : 's'} from ${key}${flags.out ? ` to ${flags.out}` : ''}\n`);
    });
}
