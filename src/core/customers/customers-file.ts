import { IssueCollector } from '../config/config-error.js';
import { DISK_SOURCE, type ConfigSource } from '../config/config-source.js';
import { loadDocument } from '../config/document.js';
import type { CustomerProfile } from '../profile/customer-profile.js';
import { CustomerDirectory, normalisePhone } from './customer-directory.js';

/** Loads the customers file (`{"customers": [profile, ...]}`); duplicate numbers are errors. */
export function loadCustomers(file: string, issues = new IssueCollector(), source: ConfigSource = DISK_SOURCE): CustomerDirectory {
  const doc = loadDocument<{ customers: CustomerProfile[] }>('customers', file, issues, { source });
  if (doc !== undefined) {
    const list = doc.customers;
    const seen = new Map<string, number>();
    list.forEach((c, i) => {
      const key = normalisePhone(c.phone);
      const prev = seen.get(key);
      if (prev !== undefined) issues.error(file, `/customers/${i}/phone`, `phone ${c.phone} is already customer ${prev}`);
      else seen.set(key, i);
    });
    issues.throwIfErrors();
    return new CustomerDirectory(list);
  }
  issues.throwIfErrors();
  return new CustomerDirectory([]);
}
