import { IssueCollector } from '../../core/config/config-error.js';
import { validateAgainstSchema } from '../../core/config/schema-validator.js';
import { DTMF_KEYS } from '../../core/flows/flow-types.js';
import { LANGUAGES, type CustomerProfile, type Language } from '../../core/profile/customer-profile.js';
import type { DesignerWalkRequest } from './designer-walk.js';
import { DesignerRequestError } from './designer-errors.js';

/** Far more than any flow asks for; bounds the work one request can cause. */
const MAX_KEYS = 200;
const WALK_ENDS = ['wait', 'hangup'] as const;

/**
 * Reads a /designer/try body: `{caller}` or `{profile}` (checked like a customers-file entry),
 * `keys` (DTMF keys pressed so far), optionally `end` and `language`. Throws
 * DesignerRequestError listing everything wrong.
 */
export function readDesignerWalkRequest(body: unknown): DesignerWalkRequest {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DesignerRequestError(['expected a JSON object: {"caller": "+86…", "keys": ["0"]}']);
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!['caller', 'profile', 'keys', 'end', 'language'].includes(k)) problems.push(`unknown property "${k}"`);

  const keys: string[] = [];
  if (b['keys'] !== undefined && !Array.isArray(b['keys'])) problems.push('keys: expected an array of DTMF keys, e.g. ["3", "1"]');
  else {
    const raw = (b['keys'] as unknown[] | undefined) ?? [];
    if (raw.length > MAX_KEYS) problems.push(`keys: ${raw.length} keys, at most ${MAX_KEYS}`);
    raw.forEach((k, i) => {
      if (typeof k === 'string' && (DTMF_KEYS as readonly string[]).includes(k)) keys.push(k);
      else problems.push(`keys[${i}]: ${JSON.stringify(k)} is not a DTMF key (0-9, *, #)`);
    });
  }

  const req: DesignerWalkRequest = { keys };
  const caller = b['caller'];
  const profile = b['profile'];
  if ((caller === undefined) === (profile === undefined)) problems.push('give either caller (a number in the customers file) or profile (a customer profile), not both');
  if (caller !== undefined) {
    if (typeof caller !== 'string' || !/^\+?[0-9 ()-]{5,20}$/.test(caller.trim())) problems.push(`caller: ${JSON.stringify(caller)} is not a phone number`);
    else req.caller = caller.trim();
  }
  if (profile !== undefined) {
    const issues = new IssueCollector();
    if (validateAgainstSchema('customers', { customers: [profile] }, 'profile', issues)) req.profile = profile as CustomerProfile;
    else for (const i of issues.issues) problems.push(`profile${i.path.replace(/^\/customers\/0/, '') || ''}: ${i.message.replace(/ \(schema customers\)$/, '')}`);
  }

  const end = b['end'];
  if (end !== undefined && end !== null) {
    if (!(WALK_ENDS as readonly unknown[]).includes(end)) problems.push(`end: ${JSON.stringify(end)}, expected "wait" or "hangup"`);
    else req.end = end as DesignerWalkRequest['end'];
  }
  const language = b['language'];
  if (language !== undefined && language !== null) {
    if (!(LANGUAGES as readonly unknown[]).includes(language)) problems.push(`language: ${JSON.stringify(language)}, expected ${LANGUAGES.join(' or ')}`);
    else req.language = language as Language;
  }
  if (problems.length) throw new DesignerRequestError(problems);
  return req;
}
