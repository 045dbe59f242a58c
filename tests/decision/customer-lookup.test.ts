import { describe, expect, it } from 'vitest';
import { CustomerDirectory, normalisePhone } from '../../src/core/customers/customer-directory.js';
import { shippedConfig } from '../helpers/shipped.js';

describe('looking a caller up in the customers file', () => {
  const customers = [...shippedConfig().customers.all()];
  const directory = new CustomerDirectory(customers);

  it('finds the same customer however the number is written, and a number written as stored is normalised already', () => {
    for (const c of customers) {
      const stored = normalisePhone(c.phone);
      expect(normalisePhone(stored)).toBe(stored);
      const local = stored.startsWith('+86') ? stored.slice(3) : stored;
      for (const written of [stored, c.phone, ` ${stored} `, local, `00${stored.slice(1)}`]) {
        expect(directory.lookup(written), written).toEqual({ profile: c, known: true });
      }
    }
  });

  it('gives an unknown caller a bare profile with the normalised number', () => {
    expect(directory.lookup('139 0000 0000')).toEqual({ profile: { phone: '+8613900000000' }, known: false });
  });
});
