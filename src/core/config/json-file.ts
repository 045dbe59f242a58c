import { readFileSync } from 'node:fs';
import type { IssueCollector } from './config-error.js';
import { parseJsonText } from './json-syntax.js';
import { readProblem } from './read-problem.js';

/**
 * Reads and parses a JSON file, recording a located issue (file:line:column for a syntax error) instead of throwing,
 * so a loader can go on checking the other files and report everything at once.
 */
export function readJsonFile(file: string, issues: IssueCollector): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    issues.error(file, '', readProblem(err));
    return undefined;
  }
  const parsed = parseJsonText(text);
  if (parsed.ok) return parsed.value;
  issues.error(file, '', `not valid JSON: ${parsed.problem.reason}`, parsed.problem);
  return undefined;
}
