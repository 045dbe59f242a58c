import type { IssueCollector } from './config-error.js';
import { DISK_SOURCE, type ConfigSource } from './config-source.js';
import { parseJsonText } from './json-syntax.js';
import { readProblem } from './read-problem.js';
import { CONFIG_WORDING, checkDocument, type DocumentWording, type SchemaRef } from './schema-validator.js';

export interface LoadDocumentOptions {
  /** The format's words for its problems; the configuration's by default. */
  wording?: DocumentWording;
  /** Where the file is read; the disk by default (a draft overlays edited documents). */
  source?: ConfigSource;
}

/**
 * The one way a JSON document is loaded: read, parse (a syntax error located by line and
 * column), validate against its checked-in schema, and record every problem in `issues` in
 * one shape (file, path, line and column when known, message, severity) rather than throw,
 * so a loader can go on checking other files and report everything at once.
 *
 * Returns the document, or undefined when it could not be read, parsed or did not conform.
 */
export function loadDocument<T>(schema: SchemaRef, file: string, issues: IssueCollector, opts: LoadDocumentOptions = {}): T | undefined {
  const wording = opts.wording ?? CONFIG_WORDING;
  const text = readDocumentText(file, issues, wording, opts.source);
  if (text === undefined) return undefined;
  const doc = parseDocument(text, file, issues, wording);
  if (doc === undefined) return undefined;
  return checkDocument(schema, doc, file, issues, { wording }) ? (doc as T) : undefined;
}

/** The file's text; undefined (and an issue saying why in words) when it cannot be read. */
export function readDocumentText(file: string, issues: IssueCollector, wording: DocumentWording = CONFIG_WORDING, source: ConfigSource = DISK_SOURCE): string | undefined {
  try {
    return source.readText(file);
  } catch (err) {
    issues.error(file, wording.root, readProblem(err));
    return undefined;
  }
}

/** The parsed JSON; undefined (and an issue at the line and column where it goes wrong) when it is not JSON. */
export function parseDocument(text: string, file: string, issues: IssueCollector, wording: DocumentWording = CONFIG_WORDING): unknown {
  const parsed = parseJsonText(text);
  if (parsed.ok) return parsed.value;
  issues.error(file, wording.root, wording.syntax(parsed.problem), parsed.problem);
  return undefined;
}
