import { IssueCollector } from '../config/config-error.js';
import { loadDocument } from '../config/document.js';
import { checkDocument } from '../config/schema-validator.js';
import { traceWording } from './trace-schemas.js';

/** How calls spread over a day (schemas/day-profile.schema.json). */
export interface DayProfile {
  description?: string;
  /** callsPerHour: expected calls in each hour; relative: weights the generator scales. */
  unit: 'callsPerHour' | 'relative';
  /** One number per local hour, hours[0] = 00:00–01:00. */
  hours: number[];
}

/** Reads and checks a day profile file; throws a ConfigError with every located issue. */
export function loadDayProfile(file: string): DayProfile {
  const issues = new IssueCollector();
  const doc = loadDocument<DayProfile>('day-profile', file, issues, { wording: traceWording() });
  issues.throwIfErrors();
  return checkDayProfile(doc, file);
}

/** Checks a parsed day profile; throws a ConfigError naming the file and the path. */
export function checkDayProfile(doc: unknown, file: string): DayProfile {
  const issues = new IssueCollector();
  checkDocument('day-profile', doc, file, issues, { wording: traceWording() });
  issues.throwIfErrors();
  const profile = doc as DayProfile;
  if (!profile.hours.some((h) => h > 0)) issues.error(file, '/hours', 'every hour is 0: no call would ever arrive');
  issues.throwIfErrors();
  return profile;
}
