import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, IssueCollector, pointer } from '../config/config-error.js';
import type { ConfigSource } from '../config/config-source.js';
import { loadDocument } from '../config/document.js';
import { PACKAGE_ROOT } from '../config/package-root.js';
import { SMS_CLASSES, type ClassPolicy, type ContactCap, type ContactPolicy, type SmsClass } from './contact-policy.js';
import { formatClockTime, isValidTimeZone, parseClockTime } from './zoned-time.js';

export const CONTACT_POLICY_FILE_NAME = 'contact-policy.json';
export const DEFAULT_CONTACT_POLICY_FILE = join(PACKAGE_ROOT, 'rules', CONTACT_POLICY_FILE_NAME);

interface CapDoc {
  max: number;
  windowHours: number;
}
interface ClassDoc {
  perTemplate: CapDoc | null;
  overall: CapDoc | null;
  duringQuietHours: 'send' | 'defer';
  whenOptedOut: 'send' | 'suppress';
}
export interface PolicyDoc {
  defaultTimeZone: string;
  quietHours: { start: string; end: string } | null;
  classes: Record<SmsClass, ClassDoc>;
}

const capOf = (c: CapDoc | null): ContactCap | null => (c ? { max: c.max, windowMs: Math.round(c.windowHours * 3_600_000) } : null);

/**
 * Reads rules/contact-policy.json: schema first, then what a schema cannot say (a time zone the
 * runtime knows). Records every problem with its file and JSON path; returns undefined when any.
 */
export function readContactPolicy(file: string, issues: IssueCollector, source?: ConfigSource): ContactPolicy | undefined {
  const d = loadDocument<PolicyDoc>('contact-policy', file, issues, source ? { source } : {});
  if (d === undefined) return undefined;
  const before = issues.issues.length;
  if (!isValidTimeZone(d.defaultTimeZone)) {
    issues.error(file, pointer('defaultTimeZone'), `unknown time zone "${d.defaultTimeZone}"; expected an IANA name such as Asia/Shanghai`);
  }
  if (issues.issues.length > before) return undefined;
  const classes = {} as Record<SmsClass, ClassPolicy>;
  for (const cls of SMS_CLASSES) {
    const c = d.classes[cls];
    classes[cls] = { perTemplate: capOf(c.perTemplate), overall: capOf(c.overall), duringQuietHours: c.duringQuietHours, whenOptedOut: c.whenOptedOut };
  }
  return {
    defaultTimeZone: d.defaultTimeZone,
    quietHours: d.quietHours ? { startMin: parseClockTime(d.quietHours.start)!, endMin: parseClockTime(d.quietHours.end)! } : null,
    classes,
    version: createHash('sha256').update(JSON.stringify(d)).digest('hex').slice(0, 12),
  };
}

const capDoc = (c: ContactCap | null): CapDoc | null => (c ? { max: c.max, windowHours: c.windowMs / 3_600_000 } : null);

/** The file form of a policy (what an editor saves): reading it back gives the same policy. */
export function contactPolicyDoc(policy: ContactPolicy): PolicyDoc & { $schema: string } {
  const classes = {} as Record<SmsClass, ClassDoc>;
  for (const cls of SMS_CLASSES) {
    const c = policy.classes[cls];
    classes[cls] = { perTemplate: capDoc(c.perTemplate), overall: capDoc(c.overall), duringQuietHours: c.duringQuietHours, whenOptedOut: c.whenOptedOut };
  }
  return {
    $schema: '../schemas/contact-policy.schema.json',
    defaultTimeZone: policy.defaultTimeZone,
    quietHours: policy.quietHours ? { start: formatClockTime(policy.quietHours.startMin), end: formatClockTime(policy.quietHours.endMin) } : null,
    classes,
  };
}

/** Loads the policy or throws ConfigError listing every problem (start-up refuses a bad file). */
export function loadContactPolicy(file: string = DEFAULT_CONTACT_POLICY_FILE): ContactPolicy {
  const issues = new IssueCollector();
  const policy = readContactPolicy(file, issues);
  issues.throwIfErrors();
  return policy!;
}

/** The policy file of a rules directory. */
export function contactPolicyFileIn(rulesDir: string): string {
  return join(rulesDir, CONTACT_POLICY_FILE_NAME);
}

/**
 * The policy of a file that may be edited while a service runs: re-read when its modification
 * time or size changes. A bad edit is reported through `onRejected` and the last good policy
 * keeps serving.
 */
export class ContactPolicySource {
  private policy: ContactPolicy;
  private stamp: string;

  constructor(
    readonly file: string,
    private readonly onRejected: (err: ConfigError) => void = () => undefined,
  ) {
    this.stamp = stampOf(file);
    this.policy = loadContactPolicy(file);
  }

  current(): ContactPolicy {
    const stamp = stampOf(this.file);
    if (stamp !== this.stamp) {
      this.stamp = stamp;
      try {
        this.policy = loadContactPolicy(this.file);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        this.onRejected(err);
      }
    }
    return this.policy;
  }
}

function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}
