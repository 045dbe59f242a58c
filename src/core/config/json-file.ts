import { readFileSync } from 'node:fs';
import type { IssueCollector } from './config-error.js';

/**
 * Reads and parses a JSON file, recording a located issue instead of throwing,
 * so a loader can go on checking the other files and report everything at once.
 */
export function readJsonFile(file: string, issues: IssueCollector): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    issues.error(file, '', `cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    issues.error(file, '', `not valid JSON: ${(err as Error).message}`);
    return undefined;
  }
}
