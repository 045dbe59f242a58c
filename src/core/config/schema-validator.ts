import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { IssueCollector } from './config-error.js';
import { schemaFile } from './package-root.js';


const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv2020) => void;
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Names of the checked-in JSON Schemas in `schemas/` (without `.schema.json`). */
export type SchemaName = 'flow' | 'prompts' | 'rules' | 'customers' | 'sms-templates' | 'trace-line' | 'staffing' | 'flow-test' | 'contact-policy';

export function schemaPath(name: SchemaName): string {
  return schemaFile(name);
}

function validatorFor(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(readFileSync(schemaPath(name), 'utf8')) as object;
    v = ajv.compile(schema);
    compiled.set(name, v);
  }
  return v;
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

/**
 * Validates a parsed document against one of the repository's schemas and records every
 * violation with its JSON path. Returns true when the document conforms.
 */
export function validateAgainstSchema(
  name: SchemaName,
  doc: unknown,
  file: string,
  issues: IssueCollector,
  basePath = '',
): boolean {
  const validate = validatorFor(name);
  if (validate(doc)) return true;
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    // oneOf/anyOf failures repeat what their branches said; keep the branch messages.
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const msg = `${describe(e)} (schema ${name})`;
    const key = e.instancePath + msg;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.error(file, basePath + e.instancePath, msg);
  }
  return false;
}
