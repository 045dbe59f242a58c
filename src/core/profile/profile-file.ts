import { IssueCollector } from '../config/config-error.js';
import { readJsonFile } from '../config/json-file.js';
import { checkTraceProfile } from '../trace/trace-schemas.js';
import type { CustomerProfile } from './customer-profile.js';

/**
 * Reads a customer profile written by hand (`ivr-sim call --profile`), held to the schema a
 * trace line's inline profile is held to (trace-line.schema.json#/$defs/profile). Throws a
 * ConfigError naming the file and, per problem, the line and column of a syntax error or the
 * JSON path of the field.
 */
export function loadProfileFile(file: string): CustomerProfile {
  const issues = new IssueCollector();
  const doc = readJsonFile(file, issues);
  if (!issues.hasErrors) {
    for (const p of checkTraceProfile(doc)) issues.error(file, p.field, `${p.message} (schema trace-line, $defs/profile)`);
  }
  issues.throwIfErrors();
  return doc as CustomerProfile;
}
