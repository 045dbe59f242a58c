import type { Command } from 'commander';
import { Queue } from 'bullmq';
import { DEFAULT_REDIS_URL } from '../../infra/env/redis-env.js';
import { redactUrl } from '../../infra/redis/redact-url.js';
import { oneShotRedis } from '../../infra/redis/redis-client.js';
import type { SmsAccounting, TemplateStats } from '../../core/sms/sms-stats.js';
import { RedisContactLedger } from '../../infra/sms/redis-contact-ledger.js';
import { RedisSmsStats, type SmsStatsView } from '../../infra/sms/redis-sms-stats.js';
import { pendingSmsJobs, smsKeyPrefixes, SMS_QUEUE_NAME } from '../../infra/sms/sms-queue.js';
import type { CliIO } from '../cli-io.js';
import { NamedError } from '../../core/errors/named-error.js';

interface SmsStatsFlags {
  redisUrl?: string;
  prefix?: string;
  json?: boolean;
}

/** Redis could not be reached or read: no figures. */
export class SmsStatsError extends NamedError {
  readonly code = 'SMS_STATS_FAILED';
  override readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'SmsStatsError';
  }
}

const DEFAULT_PREFIX = 'ivr-sim:';

const COLUMNS: Array<[string, (r: TemplateStats) => string]> = [
  ['sent', (r) => String(r.sent)],
  ['deferred', (r) => String(r.deferred)],
  ['suppressed', (r) => String(Object.values(r.suppressed).reduce((a, b) => a + b, 0))],
  ['failed', (r) => String(r.failed)],
  ['delivered', (r) => String(r.delivered)],
  ['undelivered', (r) => String(r.undelivered)],
];

const breakdown = (m: Record<string, number>) => Object.entries(m).map(([k, v]) => `${k} ${v}`).join(', ');

/** Nothing was ever counted, logged or opted out under the prefix. */
export function isEmptySmsStats(v: SmsStatsView): boolean {
  return Object.keys(v.byTemplate).length === 0 && v.optedOut === 0 && v.recent.length === 0;
}

/** Says that a prefix holds no counters, and the likely reasons, rather than a table of zeros. */
export function nothingFoundMessage(prefix: string, keys: string, url: string): string {
  return (
    `No SMS counters under prefix "${prefix}" at ${url}: ${keys}stats, ${keys}events and the opt-out list are empty.\n` +
    `Either no SMS has been decided yet, or the voice service and SMS worker use another prefix (--prefix, $REDIS_KEY_PREFIX) or Redis (--redis-url, $REDIS_URL).\n`
  );
}

/** The identity every decided message must satisfy, with whether it holds. */
export function accountingLine(a: SmsAccounting): string {
  const sum = `decided ${a.decided} = sent ${a.sent} + suppressed ${a.suppressed} + failed ${a.failed} + pending ${a.pending ?? '?'}`;
  if (a.unaccounted === null) return `messages: ${sum} (pending unknown)`;
  if (a.unaccounted === 0) return `messages: ${sum} (adds up)`;
  return `messages: ${sum} (does not add up: ${a.unaccounted > 0 ? `${a.unaccounted} unaccounted` : `${-a.unaccounted} counted twice`})`;
}

/** The counters as a terminal reader wants them: one row per template, then why texts were held back. */
export function formatSmsStats(v: SmsStatsView, where: string): string {
  const rows: Array<[string, TemplateStats]> = [...Object.entries(v.byTemplate), ['total', v.total]];
  const cells = [['template', ...COLUMNS.map(([h]) => h)], ...rows.map(([name, r]) => [name, ...COLUMNS.map(([, f]) => f(r))])];
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((row) => row[c]!.length)));
  let out = `SMS counters (${where})\n\n`;
  out += cells.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n') + '\n\n';
  for (const [name, r] of rows) {
    if (Object.keys(r.suppressed).length) out += `suppressed ${name}: ${breakdown(r.suppressed)}\n`;
    if (Object.keys(r.failedByCode).length) out += `failed ${name}: ${breakdown(r.failedByCode)}\n`;
  }
  out += `${out.endsWith('\n\n') ? '' : '\n'}${accountingLine(v.accounting)}\n`;
  out += `unknown outcomes after a worker died: found at Twilio ${v.accounting.foundAfterUnknownOutcome}, resent after unknown outcome ${v.accounting.resentAfterUnknownOutcome}\n`;
  out += `dead letters (failed for good): ${v.deadLetters.length}\n`;
  for (const d of v.deadLetters) out += `  ${new Date(d.atMs).toISOString()}  ${d.key}  ${d.phone ?? '-'}  ${d.code}${d.detail ? `: ${d.detail}` : ''}\n`;
  out += `numbers opted out: ${v.optedOut}\n`;
  return out;
}

export function registerSmsStatsCommand(program: Command, io: CliIO): void {
  program
    .command('sms-stats')
    .description('triggered-SMS counters of the live service: per template sent, deferred, suppressed by reason, failed, delivered; whether every decided message is accounted for; the dead letters')
    .option('--redis-url <url>', `Redis of the voice service and SMS worker (default: $REDIS_URL, else ${DEFAULT_REDIS_URL})`)
    .option('--prefix <prefix>', `their key prefix (default: $REDIS_KEY_PREFIX, else ${DEFAULT_PREFIX})`)
    .option('--json', 'print the counters as one JSON object (with the latest events)')
    .action(async (flags: SmsStatsFlags) => {
      const url = flags.redisUrl ?? process.env['REDIS_URL'] ?? DEFAULT_REDIS_URL;
      const prefix = flags.prefix ?? process.env['REDIS_KEY_PREFIX'] ?? DEFAULT_PREFIX;
      const redis = oneShotRedis(url); // a failure is reported below, once
      try {
        try {
          await redis.connect();
        } catch (err) {
          throw new SmsStatsError(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`);
        }
        const keys = smsKeyPrefixes(prefix).sms;
        let view: SmsStatsView;
        const queue = new Queue(SMS_QUEUE_NAME, { connection: redis, prefix: smsKeyPrefixes(prefix).bull });
        queue.on('error', () => undefined);
        try {
          view = await new RedisSmsStats(redis, keys).view(new RedisContactLedger(redis, keys).optOutSetKey, 20, await pendingSmsJobs(queue));
        } catch (err) {
          throw new SmsStatsError(`reading SMS counters under ${keys} at ${redactUrl(url)}: ${(err as Error).message}`);
        } finally {
          await queue.close().catch(() => undefined);
        }
        const empty = isEmptySmsStats(view);
        if (flags.json) {
          io.out(JSON.stringify(view) + '\n');
          // stdout stays one JSON object for scripts; the note is for the person reading.
          if (empty) io.err(nothingFoundMessage(prefix, keys, redactUrl(url)));
        } else {
          io.out(empty ? nothingFoundMessage(prefix, keys, redactUrl(url)) : formatSmsStats(view, `${redactUrl(url)}, prefix ${prefix}`));
        }
      } finally {
        redis.disconnect();
      }
    });
}
