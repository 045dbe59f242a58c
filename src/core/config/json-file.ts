import type { IssueCollector } from './config-error.js';
import { DISK_SOURCE, type ConfigSource } from './config-source.js';
import { parseDocument, readDocumentText } from './document.js';

/**
 * Reads and parses a JSON file, recording a located issue (file:line:column for a syntax error) instead of throwing:
 * loadDocument's first two steps, for a document checked in parts.
 */
export function readJsonFile(file: string, issues: IssueCollector, source: ConfigSource = DISK_SOURCE): unknown {
  const text = readDocumentText(file, issues, undefined, source);
  return text === undefined ? undefined : parseDocument(text, file, issues);
}
