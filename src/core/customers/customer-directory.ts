import type { CustomerProfile } from '../profile/customer-profile.js';

/** Normalises a phone number for lookup: keeps digits and a leading +; 11-digit mainland mobiles gain +86. */
export function normalisePhone(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  if (trimmed.startsWith('+')) return '+' + digits;
  if (digits.startsWith('00')) return '+' + digits.slice(2);
  if (digits.length === 11 && digits.startsWith('1')) return '+86' + digits;
  if (digits.length === 13 && digits.startsWith('86')) return '+' + digits;
  return '+' + digits;
}

/** Masks a phone number for logs and screens: +86138****0001. */
export function maskPhone(raw: string): string {
  const p = normalisePhone(raw);
  if (p.length <= 8) return p.replace(/\d(?=\d{2})/g, '*');
  return p.slice(0, p.length - 8) + '****' + p.slice(-4);
}

export interface CustomerLookup {
  /** The profile and whether the caller is known; unknown callers get a bare profile (standard segment). */
  lookup(phone: string): { profile: CustomerProfile; known: boolean };
}

/** In-memory directory over the customers file, indexed by normalised phone number. */
export class CustomerDirectory implements CustomerLookup {
  private readonly byPhone = new Map<string, CustomerProfile>();

  constructor(profiles: Iterable<CustomerProfile>) {
    for (const p of profiles) this.byPhone.set(normalisePhone(p.phone), p);
  }

  get size(): number {
    return this.byPhone.size;
  }

  lookup(phone: string): { profile: CustomerProfile; known: boolean } {
    // Traces mostly carry numbers as the file does: a number found as written is normalised
    // already (normalising is idempotent), so the regular expressions can wait for the others.
    const exact = this.byPhone.get(phone);
    if (exact) return { profile: exact, known: true };
    const key = normalisePhone(phone);
    const found = this.byPhone.get(key);
    return found ? { profile: found, known: true } : { profile: { phone: key }, known: false };
  }

  all(): IterableIterator<CustomerProfile> {
    return this.byPhone.values();
  }
}
