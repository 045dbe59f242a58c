import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { registerSmsStatsCommand, SmsStatsError } from '../../src/cli/commands/sms-stats.js';
import { bufferIO } from '../../src/cli/cli-io.js';
import { RedisContactLedger } from '../../src/infra/sms/redis-contact-ledger.js';
import { RedisSmsStats } from '../../src/infra/sms/redis-sms-stats.js';
import { Queue } from 'bullmq';
import { smsKeyPrefixes, SMS_QUEUE_NAME } from '../../src/infra/sms/sms-queue.js';
import { REDIS_URL, redisScope, type RedisScope } from './redis-fixtures.js';
import { callSid } from '../helpers/twilio.js';

/** `ivr-sim sms-stats …` as the CLI runs it (the command registered on a program of its own). */
async function smsStats(...argv: string[]) {
  const io = bufferIO();
  const program = new Command('ivr-sim').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerSmsStatsCommand(program, io);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(['sms-stats', ...argv], { from: 'user' });
    return { code: 0, out: io.stdout, err: io.stderr };
  } catch (err) {
    if (err instanceof CommanderError) return { code: err.exitCode, out: io.stdout, err: io.stderr };
    if (err instanceof SmsStatsError) return { code: err.exitCode, out: io.stdout, err: err.message };
    throw err;
  }
}

let scope: RedisScope;
afterEach(() => scope.cleanup());

async function seed(deployPrefix: string) {
  const keys = smsKeyPrefixes(deployPrefix).sms;
  const stats = new RedisSmsStats(scope.redis, keys);
  const at = Date.UTC(2025, 5, 2, 4);
  await stats.record({ kind: 'sent', template: 'bill-summary', messageKey: `${callSid(1)}.bill-summary`, atMs: at });
  await stats.record({ kind: 'sent', template: 'bill-summary', messageKey: `${callSid(1)}.bill-summary`, atMs: at }); // counted once
  await stats.record({ kind: 'sent', template: 'bill-summary', messageKey: `${callSid(2)}.bill-summary`, atMs: at });
  await stats.record({ kind: 'delivered', template: 'bill-summary', messageKey: `${callSid(1)}.bill-summary`, atMs: at, reason: 'delivered' });
  await stats.record({ kind: 'deferred', template: 'addon-offer', messageKey: `${callSid(3)}.addon-offer`, atMs: at, untilMs: at + 3_600_000 });
  await stats.record({ kind: 'suppressed', template: 'addon-offer', messageKey: `${callSid(4)}.addon-offer`, atMs: at, reason: 'opted-out' });
  await stats.record({ kind: 'suppressed', template: 'addon-offer', messageKey: `${callSid(5)}.addon-offer`, atMs: at, reason: 'template-cap' });
  await stats.record({ kind: 'failed', template: 'data-usage-summary', messageKey: `${callSid(6)}.data-usage-summary`, atMs: at, reason: 'SMS_TEMPLATE_VARIABLE_MISSING' });
  await new RedisContactLedger(scope.redis, keys).optOut('+8613800000009', at, 'keyword');
}

describe('ivr-sim sms-stats', () => {
  it('--json: per template sent, deferred, suppressed by reason, failed by code, delivered; the opted-out count; the latest events', async () => {
    scope = redisScope('cli');
    await seed(scope.prefix);
    const r = await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix, '--json');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.out);
    expect(v.byTemplate['bill-summary']).toEqual({ sent: 2, deferred: 0, suppressed: {}, failed: 0, failedByCode: {}, delivered: 1, undelivered: 0 });
    expect(v.byTemplate['addon-offer']).toMatchObject({ deferred: 1, suppressed: { 'opted-out': 1, 'template-cap': 1 } });
    expect(v.total).toMatchObject({ sent: 2, deferred: 1, failed: 1, delivered: 1, suppressed: { 'opted-out': 1, 'template-cap': 1 }, failedByCode: { SMS_TEMPLATE_VARIABLE_MISSING: 1 } });
    expect(v.optedOut).toBe(1);
    expect(v.recent).toHaveLength(7); // the repeated send is neither counted nor logged
    expect(v.recent[0]).toMatchObject({ kind: 'failed', template: 'data-usage-summary', reason: 'SMS_TEMPLATE_VARIABLE_MISSING' });
  });

  it('as a table: one row per template and a total, then why texts were held back', async () => {
    scope = redisScope('cli-table');
    await seed(scope.prefix);
    const r = await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[2]).toMatch(/^template\s+sent\s+deferred\s+suppressed\s+failed\s+delivered\s+undelivered$/);
    expect(lines.find((l) => l.startsWith('bill-summary'))!.split(/\s+/)).toEqual(['bill-summary', '2', '0', '0', '0', '1', '0']);
    expect(lines.find((l) => l.startsWith('total'))!.split(/\s+/)).toEqual(['total', '2', '1', '2', '1', '1', '0']);
    expect(r.out).toContain('suppressed addon-offer: opted-out 1, template-cap 1\n');
    expect(r.out).toContain('failed data-usage-summary: SMS_TEMPLATE_VARIABLE_MISSING 1\n');
    expect(r.out).toContain('numbers opted out: 1\n');
  });

  it('shows that every decided message is sent, suppressed, failed or still queued, the unknown outcomes, and the dead letters with their reasons', async () => {
    scope = redisScope('cli-accounting');
    await seed(scope.prefix);
    const keys = smsKeyPrefixes(scope.prefix);
    const stats = new RedisSmsStats(scope.redis, keys.sms);
    const at = Date.UTC(2025, 5, 2, 4);
    // The deferred text is decided and still waits in the queue.
    await stats.record({ kind: 'decided', template: 'addon-offer', messageKey: `${callSid(3)}.addon-offer`, atMs: at });
    const queue = new Queue(SMS_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix: keys.bull });
    await queue.add('addon-offer', {}, { jobId: `${callSid(3)}.addon-offer`, delay: 3_600_000 });
    await stats.record({ kind: 'found-after-unknown-outcome', template: 'bill-summary', messageKey: `${callSid(1)}.bill-summary`, atMs: at });
    await stats.record({ kind: 'failed', template: 'bill-summary', messageKey: `${callSid(7)}.bill-summary`, atMs: at + 1000, reason: 'SMS_SEND_REJECTED', detail: "Twilio answered 400 (error 21211): The 'To' number is not a valid phone number.", phone: '+86138****0007' });

    const table = await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix);
    expect(table.out).toContain('\nmessages: decided 7 = sent 2 + suppressed 2 + failed 2 + pending 1 (adds up)\n');
    expect(table.out).toContain('unknown outcomes after a worker died: found at Twilio 1, resent after unknown outcome 0\n');
    expect(table.out).toContain(
      'dead letters (failed for good): 2\n' +
        `  2025-06-02T04:00:00.000Z  ${callSid(6)}.data-usage-summary  -  SMS_TEMPLATE_VARIABLE_MISSING\n` +
        `  2025-06-02T04:00:01.000Z  ${callSid(7)}.bill-summary  +86138****0007  SMS_SEND_REJECTED: Twilio answered 400 (error 21211): The 'To' number is not a valid phone number.\n`,
    );
    const v = JSON.parse((await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix, '--json')).out);
    expect(v.accounting).toEqual({ decided: 7, sent: 2, suppressed: 2, failed: 2, pending: 1, unaccounted: 0, foundAfterUnknownOutcome: 1, resentAfterUnknownOutcome: 0 });
    expect(v.deadLetters.map((d: { key: string }) => d.key)).toEqual([`${callSid(6)}.data-usage-summary`, `${callSid(7)}.bill-summary`]);

    // A message decided but neither queued nor finished (its hand-off failed) shows as unaccounted.
    await stats.record({ kind: 'decided', template: 'bill-summary', messageKey: `${callSid(8)}.bill-summary`, atMs: at });
    expect((await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix)).out).toContain('pending 1 (does not add up: 1 unaccounted)\n');
    await queue.close();
  });

  it('an empty prefix shows zeros, not an error', async () => {
    scope = redisScope('cli-empty');
    const v = JSON.parse((await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix, '--json')).out);
    expect(v).toMatchObject({ byTemplate: {}, optedOut: 0, recent: [] });
  });

  it('a prefix with nothing under it: says so, with the prefix and the Redis it looked at, instead of a table of zeros', async () => {
    scope = redisScope('cli-nothing');
    const r = await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`No SMS counters under prefix "${scope.prefix}" at ${REDIS_URL}: ${scope.prefix}sms:stats, ${scope.prefix}sms:events and the opt-out list are empty.`);
    expect(r.out).toContain('another prefix (--prefix, $REDIS_KEY_PREFIX)');
    expect(r.out).not.toMatch(/^total/m);
    // --json keeps stdout one JSON object and says it on stderr.
    const j = await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix, '--json');
    expect(JSON.parse(j.out)).toMatchObject({ byTemplate: {}, optedOut: 0 });
    expect(j.err).toContain(`No SMS counters under prefix "${scope.prefix}" at ${REDIS_URL}`);
    // Once anything is counted there, the table comes back.
    await seed(scope.prefix);
    expect((await smsStats('--redis-url', REDIS_URL, '--prefix', scope.prefix)).out).not.toContain('No SMS counters');
  });

  it('Redis out of reach: exit code 1 and where it looked', async () => {
    scope = redisScope('cli-down');
    const r = await smsStats('--redis-url', 'redis://127.0.0.1:1', '--prefix', scope.prefix);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
  });
});
