import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { IssueCollector } from './config-error.js';
import { schemaFile } from './package-root.js';

/**
 * The one validator of every checked-in schema. `verbose` keeps the failing value and its
 * schema on each error, so a format's wording can say what it got and what it expected.
 */
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true });
// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Names of the checked-in JSON Schemas in `schemas/` (without `.schema.json`). */
export type SchemaName =
  | 'flow'
  | 'prompts'
  | 'rules'
  | 'customers'
  | 'sms-templates'
  | 'trace-line'
  | 'staffing'
  | 'flow-test'
  | 'contact-policy'
  | 'day-profile'
  | 'caller-behaviour'
  | 'queue-behaviour'
  | 'acd-log';

/** A whole schema, or one of its `$defs` (a trace line's `profile`, held to the same rules in a file of its own). */
export type SchemaRef = SchemaName | { schema: SchemaName; definition: string };

export function schemaPath(name: SchemaName): string {
  return schemaFile(name);
}

/** How a schema is named in messages: `trace-line` or `trace-line, $defs/profile`. */
export function schemaLabel(ref: SchemaRef): string {
  return typeof ref === 'string' ? ref : `${ref.schema}, $defs/${ref.definition}`;
}

function validatorFor(ref: SchemaRef): ValidateFunction {
  const key = schemaLabel(ref);
  let v = compiled.get(key);
  if (v) return v;
  if (typeof ref === 'string') {
    v = ajv.compile(JSON.parse(readFileSync(schemaPath(ref), 'utf8')) as object);
  } else {
    const whole = validatorFor(ref.schema);
    const id = (whole.schema as { $id?: string }).$id;
    v = id === undefined ? undefined : ajv.getSchema(`${id}#/$defs/${ref.definition}`);
    if (!v) throw new Error(`schema ${ref.schema} has no $defs/${ref.definition}`);
  }
  compiled.set(key, v);
  return v;
}

/** Every way `doc` breaks the schema; none when it conforms. */
export function schemaErrors(ref: SchemaRef, doc: unknown): ErrorObject[] {
  const validate = validatorFor(ref);
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

/**
 * How one document format words its problems. Each format keeps the words its readers know
 * (a planner's `$.groups[0]`, a designer's `/states/menu`); the issues have one shape.
 */
export interface DocumentWording {
  /** How the whole document is named in an issue's path. */
  root: string;
  /** A syntax error; line and column go on the issue itself when known. */
  syntax(problem: { reason: string; line?: number; column?: number }): string;
  /** A schema violation at a path; undefined leaves out an error another one says better. */
  schema(error: ErrorObject, schema: string): { path: string; message: string } | undefined;
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return `missing required property "${String(e.params['missingProperty'])}"`;
    case 'additionalProperties':
      return `unknown property "${String(e.params['additionalProperty'])}"`;
    case 'enum':
      return `must be one of ${(e.params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
    case 'type':
      return `must be ${String(e.params['type'])}`;
    case 'pattern':
      return `must match ${String(e.params['pattern'])}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** The configuration's wording (flows, prompts, rules, customers, the contact policy, flow tests): JSON Pointers. */
export const CONFIG_WORDING: DocumentWording = {
  root: '',
  syntax: (p) => `not valid JSON: ${p.reason}`,
  schema(e, schema) {
    // oneOf/anyOf failures repeat what their branches said; keep the branch messages.
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') return undefined;
    return { path: e.instancePath, message: `${describe(e)} (schema ${schema})` };
  },
};

export interface CheckOptions {
  wording?: DocumentWording;
  /** Prefixed to every path: where `doc` sits inside a larger document. */
  basePath?: string;
}

/**
 * Validates a parsed document against one of the repository's schemas and records every
 * violation, once, with its path. Returns true when the document conforms.
 */
export function checkDocument(ref: SchemaRef, doc: unknown, file: string, issues: IssueCollector, opts: CheckOptions = {}): boolean {
  const errors = schemaErrors(ref, doc);
  if (errors.length === 0) return true;
  const wording = opts.wording ?? CONFIG_WORDING;
  const label = schemaLabel(ref);
  const seen = new Set<string>();
  for (const e of errors) {
    const said = wording.schema(e, label);
    if (!said) continue;
    const key = `${said.path}\u0000${said.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.error(file, (opts.basePath ?? '') + said.path, said.message);
  }
  return false;
}

/** checkDocument in the configuration's wording, under a base path. */
export function validateAgainstSchema(name: SchemaName, doc: unknown, file: string, issues: IssueCollector, basePath = ''): boolean {
  return checkDocument(name, doc, file, issues, { basePath });
}
