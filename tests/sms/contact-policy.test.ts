import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/core/config/config-error.js';
import { decideContact, type ContactPolicy, type ContactState } from '../../src/core/sms/contact-policy.js';
import { contactPolicyDoc, ContactPolicySource, DEFAULT_CONTACT_POLICY_FILE, loadContactPolicy } from '../../src/core/sms/contact-policy-file.js';

const shipped = () => JSON.parse(readFileSync(DEFAULT_CONTACT_POLICY_FILE, 'utf8'));
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
function fileWith(doc: unknown): string {
  dir ??= mkdtempSync(join(tmpdir(), 'ivr-sim-policy-'));
  const f = join(dir, 'contact-policy.json');
  writeFileSync(f, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return f;
}
function errorsOf(change: (doc: any) => void): Omit<ConfigIssue, 'file'>[] {
  const doc = shipped();
  change(doc);
  try {
    loadContactPolicy(fileWith(doc));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues.map(({ file: _f, ...rest }) => rest);
  }
  throw new Error('the broken policy loaded');
}

/** Shanghai is UTC+8 all year: 2025-06-02 22:30 local is 14:30 UTC. */
const shanghai = (day: number, hh: number, mm = 0) => Date.UTC(2025, 5, day, hh - 8, mm);
const fresh: ContactState = { optedOut: false, sentOfTemplate: 0, sentOfClass: 0 };

describe('the contact policy file', () => {
  it('the shipped policy loads: service goes at night and to opted-out numbers, marketing waits and respects opt-outs', () => {
    const p = loadContactPolicy();
    expect(p.defaultTimeZone).toBe('Asia/Shanghai');
    expect(p.quietHours).toEqual({ startMin: 21 * 60, endMin: 8 * 60 });
    expect(p.classes.marketing).toEqual({ perTemplate: { max: 1, windowMs: 86_400_000 }, overall: { max: 3, windowMs: 7 * 86_400_000 }, duringQuietHours: 'defer', whenOptedOut: 'suppress' });
    expect(p.classes.service).toMatchObject({ duringQuietHours: 'send', whenOptedOut: 'send' });
  });

  it('survives a load/save round trip', () => {
    const p = loadContactPolicy();
    const again = loadContactPolicy(fileWith(contactPolicyDoc(p)));
    expect({ ...again, version: '' }).toEqual({ ...p, version: '' });
  });

  it('a bad time of day is reported with its path and the expected form', () => {
    expect(errorsOf((d) => (d.quietHours.start = '25:00'))).toContainEqual({
      path: '/quietHours/start',
      message: 'must match ^([01][0-9]|2[0-3]):[0-5][0-9]$ (schema contact-policy)',
      severity: 'error',
    });
  });

  it('marketing cannot be set to reach opted-out numbers or to go during quiet hours', () => {
    const errors = errorsOf((d) => {
      d.classes.marketing.whenOptedOut = 'send';
      d.classes.marketing.duringQuietHours = 'send';
    });
    expect(errors).toContainEqual({ path: '/classes/marketing/whenOptedOut', message: 'must be one of "suppress" (schema contact-policy)', severity: 'error' });
    expect(errors).toContainEqual({ path: '/classes/marketing/duringQuietHours', message: 'must be one of "defer" (schema contact-policy)', severity: 'error' });
  });

  it('an unknown key, a negative cap and an unknown time zone are each reported', () => {
    expect(errorsOf((d) => (d.classes.service.perDay = 3))).toContainEqual(expect.objectContaining({ path: '/classes/service', message: 'unknown property "perDay" (schema contact-policy)' }));
    expect(errorsOf((d) => (d.classes.service.overall.max = -1))).toContainEqual(expect.objectContaining({ path: '/classes/service/overall/max' }));
    expect(errorsOf((d) => (d.defaultTimeZone = 'Asia/Beijing'))).toEqual([
      { path: '/defaultTimeZone', message: 'unknown time zone "Asia/Beijing"; expected an IANA name such as Asia/Shanghai', severity: 'error' },
    ]);
  });

  it('not JSON: the file is named and nothing loads', () => {
    expect(() => loadContactPolicy(fileWith('{ "quietHours": '))).toThrow(/not valid JSON/);
  });

  it('a running service keeps the last good policy when an edit is bad, and takes a good edit', () => {
    const file = fileWith(shipped());
    const rejected: ConfigError[] = [];
    const source = new ContactPolicySource(file, (e) => rejected.push(e));
    expect(source.current().quietHours).toEqual({ startMin: 1260, endMin: 480 });
    writeFileSync(file, JSON.stringify({ ...shipped(), quietHours: { start: '9pm', end: '08:00' } }));
    expect(source.current().quietHours).toEqual({ startMin: 1260, endMin: 480 });
    expect(rejected).toHaveLength(1);
    writeFileSync(file, JSON.stringify({ ...shipped(), quietHours: { start: '22:00', end: '07:30' } }, null, 1));
    expect(source.current().quietHours).toEqual({ startMin: 1320, endMin: 450 });
  });
});

describe('deciding one message', () => {
  const policy: ContactPolicy = loadContactPolicy();

  it('a marketing text decided at 22:30 in Shanghai waits until 08:00 the next morning', () => {
    expect(decideContact(policy, 'marketing', fresh, shanghai(2, 22, 30), 'Asia/Shanghai')).toEqual({ action: 'defer', untilMs: shanghai(3, 8) });
  });

  it('one decided at 06:10 waits until 08:00 the same morning; at 08:00 or 20:59 it goes', () => {
    expect(decideContact(policy, 'marketing', fresh, shanghai(3, 6, 10), 'Asia/Shanghai')).toEqual({ action: 'defer', untilMs: shanghai(3, 8) });
    expect(decideContact(policy, 'marketing', fresh, shanghai(3, 8), 'Asia/Shanghai')).toEqual({ action: 'send' });
    expect(decideContact(policy, 'marketing', fresh, shanghai(3, 20, 59), 'Asia/Shanghai')).toEqual({ action: 'send' });
    expect(decideContact(policy, 'marketing', fresh, shanghai(3, 21), 'Asia/Shanghai')).toMatchObject({ action: 'defer' });
  });

  it('a service text goes during quiet hours', () => {
    expect(decideContact(policy, 'service', fresh, shanghai(2, 23, 45), 'Asia/Shanghai')).toEqual({ action: 'send' });
  });

  it('quiet hours are the customer\'s: 22:30 in Shanghai is 15:30 in London (summer time), so it goes', () => {
    expect(decideContact(policy, 'marketing', fresh, shanghai(2, 22, 30), 'Europe/London')).toEqual({ action: 'send' });
    // 05:00 in Shanghai is 22:00 in London the evening before: it waits for 08:00 BST (07:00 UTC).
    expect(decideContact(policy, 'marketing', fresh, shanghai(3, 5), 'Europe/London')).toEqual({ action: 'defer', untilMs: Date.UTC(2025, 5, 3, 7) });
  });

  it('a customer without a zone, or with one the runtime does not know, gets the default zone', () => {
    expect(decideContact(policy, 'marketing', fresh, shanghai(2, 22, 30), undefined)).toEqual({ action: 'defer', untilMs: shanghai(3, 8) });
    expect(decideContact(policy, 'marketing', fresh, shanghai(2, 22, 30), 'Mars/Olympus')).toEqual({ action: 'defer', untilMs: shanghai(3, 8) });
  });

  it('caps: one per template a day, three marketing texts a week', () => {
    const noon = shanghai(3, 12);
    expect(decideContact(policy, 'marketing', { ...fresh, sentOfTemplate: 1, sentOfClass: 1 }, noon, undefined)).toEqual({ action: 'suppress', reason: 'template-cap' });
    expect(decideContact(policy, 'marketing', { ...fresh, sentOfClass: 3 }, noon, undefined)).toEqual({ action: 'suppress', reason: 'overall-cap' });
    expect(decideContact(policy, 'marketing', { ...fresh, sentOfClass: 2 }, noon, undefined)).toEqual({ action: 'send' });
  });

  it('a capped message is dropped, not postponed, even at night', () => {
    expect(decideContact(policy, 'marketing', { ...fresh, sentOfClass: 3 }, shanghai(2, 23), undefined)).toEqual({ action: 'suppress', reason: 'overall-cap' });
  });

  it('an opted-out number gets no marketing; service follows the policy (shipped: send; configurable: suppress)', () => {
    const out = { ...fresh, optedOut: true };
    expect(decideContact(policy, 'marketing', out, shanghai(3, 12), undefined)).toEqual({ action: 'suppress', reason: 'opted-out' });
    expect(decideContact(policy, 'service', out, shanghai(3, 12), undefined)).toEqual({ action: 'send' });
    const strict: ContactPolicy = { ...policy, classes: { ...policy.classes, service: { ...policy.classes.service, whenOptedOut: 'suppress' } } };
    expect(decideContact(strict, 'service', out, shanghai(3, 12), undefined)).toEqual({ action: 'suppress', reason: 'opted-out' });
  });

  it('service can be set to wait out the quiet hours too', () => {
    const deferring: ContactPolicy = { ...policy, classes: { ...policy.classes, service: { ...policy.classes.service, duringQuietHours: 'defer' } } };
    expect(decideContact(deferring, 'service', fresh, shanghai(2, 22, 30), undefined)).toEqual({ action: 'defer', untilMs: shanghai(3, 8) });
  });
});
