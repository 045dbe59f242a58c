import { IssueCollector } from '../config/config-error.js';
import { loadDocument } from '../config/document.js';
import { TRACE_PROFILE, traceWording } from '../trace/trace-schemas.js';
import type { CustomerProfile } from './customer-profile.js';

/**
 * Reads a customer profile written by hand (`ivr-sim call --profile`), held to the schema a
 * trace line's inline profile is held to (trace-line.schema.json#/$defs/profile). Throws a
 * ConfigError naming the file and, per problem, the line and column of a syntax error or the
 * JSON path of the field.
 */
export function loadProfileFile(file: string): CustomerProfile {
  const issues = new IssueCollector();
  const profile = loadDocument<CustomerProfile>(TRACE_PROFILE, file, issues, { wording: traceWording(' (schema trace-line, $defs/profile)') });
  issues.throwIfErrors();
  return profile!;
}
