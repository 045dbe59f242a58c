import { pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { schemaFile } from '../config/package-root.js';
import { schemaErrors, type DocumentWording, type SchemaRef } from '../config/schema-validator.js';

/** The schemas of the trace formats and of the generator's data files, in `schemas/`. */
export type TraceSchemaName = 'trace-line' | 'day-profile' | 'caller-behaviour';

/** A schema violation: where (JSON Pointer into the document) and what was expected. */
export interface SchemaProblem {
  field: string;
  message: string;
  /** The ajv keyword and schema location, so callers can replace a generic message with a better one. */
  keyword: string;
  schemaPath: string;
}

export function traceSchemaUrl(name: TraceSchemaName): URL {
  return pathToFileURL(schemaFile(name));
}

/** Validates `doc`; returns no problems when it conforms. */
export function checkAgainstTraceSchema(name: TraceSchemaName, doc: unknown): SchemaProblem[] {
  return problemsOf(name, doc);
}

/** A trace line's inline customer profile, as a schema of its own. */
export const TRACE_PROFILE: SchemaRef = { schema: 'trace-line', definition: 'profile' };

/**
 * Validates a customer profile as a trace line's inline `profile` is held to
 * (trace-line.schema.json#/$defs/profile): the same fields and types wherever a profile is written by hand.
 */
export function checkTraceProfile(doc: unknown): SchemaProblem[] {
  return problemsOf(TRACE_PROFILE, doc);
}

/**
 * The trace formats' wording for loadDocument: the field, what it must be and what it got
 * (`/talkSec: must be >= 0 (got -1)`); `note` follows each message (which schema held it).
 */
export function traceWording(note = ''): DocumentWording {
  return {
    root: '',
    syntax: (p) => `not valid JSON: ${p.reason}`,
    schema(e) {
      const p = describe(e);
      return { path: p.field, message: p.message + note };
    },
  };
}

function problemsOf(ref: SchemaRef, doc: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of schemaErrors(ref, doc)) {
    const p = describe(e);
    const key = `${p.field}\u0000${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

function describe(e: ErrorObject): SchemaProblem {
  const params = e.params as Record<string, unknown>;
  const got = e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)})`;
  const at = (message: string, child?: string): SchemaProblem => ({
    field: child === undefined ? e.instancePath : `${e.instancePath}/${escape(child)}`,
    message,
    keyword: e.keyword,
    schemaPath: e.schemaPath,
  });
  switch (e.keyword) {
    case 'required':
      return at('is required', String(params['missingProperty']));
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema?.['properties'] as object | undefined) ?? {});
      return at(`is not a known field${known.length ? `; expected one of: ${known.join(', ')}` : ''}`, String(params['additionalProperty']));
    }
    case 'type':
      return at(`must be ${article(String(params['type']))}${got}`);
    case 'enum':
      return at(`must be one of ${(params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}${got}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return at(`must be ${String(params['comparison'])} ${String(params['limit'])}${got}`);
    case 'minLength':
      return at(params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters${got}`);
    case 'minItems':
    case 'maxItems':
      return at(`${e.message ?? 'has the wrong number of items'}${got}`);
    case 'format':
      return at(
        params['format'] === 'date-time'
          ? `must be an ISO-8601 date-time with a UTC offset, e.g. "2025-03-03T09:00:00+08:00"${got}`
          : `must be a ${String(params['format'])}${got}`,
      );
    case 'pattern':
      return at(`must match ${String(params['pattern'])}${got}`);
    case 'dependentRequired':
      return at(`needs "${String(params['missingProperty'])}" alongside "${String(params['property'])}"`, String(params['property']));
    case 'false schema':
      return at('is not allowed here');
    default:
      return at(`${e.message ?? 'is invalid'}${got}`);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
