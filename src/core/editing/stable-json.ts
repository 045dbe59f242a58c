import { readFileSync } from 'node:fs';
import { schemaPath, type SchemaName } from '../config/schema-validator.js';
import { parseWithSpans, type SpannedJson } from './json-spans.js';

/** A JSON Schema node, as far as the writer reads one: where properties are declared. */
type SchemaNode = Record<string, unknown>;

/**
 * Writes a document the way a person would have edited the file it replaces, so that a diff
 * shows only the edit: every value equal to the one already in the file is copied from the
 * file's text as it is (its key order and layout); keys the file had keep their order; a new key
 * takes its place in the schema's property order among them; new parts are indented by 2 spaces (an object the file
 * wrote on one line stays on one line). A new file is written in the schema's order.
 * Ends with a newline.
 */
export function writeStableJson(doc: unknown, previousText: string | undefined, schema?: SchemaName): string {
  let previous: { text: string; root: SpannedJson } | undefined;
  if (previousText !== undefined) {
    try {
      JSON.parse(previousText);
      previous = { text: previousText, root: parseWithSpans(previousText) };
    } catch {
      previous = undefined; // a file that is not JSON is replaced outright
    }
  }
  const root = schema ? loadSchema(schema) : undefined;
  return new Writer(previous?.text ?? '', root).value(doc, previous?.root, root, 0) + '\n';
}

const schemas = new Map<SchemaName, SchemaNode>();
function loadSchema(name: SchemaName): SchemaNode {
  let s = schemas.get(name);
  if (!s) {
    s = JSON.parse(readFileSync(schemaPath(name), 'utf8')) as SchemaNode;
    schemas.set(name, s);
  }
  return s;
}

/** JSON with object keys sorted: equal documents, whatever their key order, give equal text. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(x);
}

class Writer {
  constructor(
    private readonly text: string,
    private readonly root: SchemaNode | undefined,
  ) {}

  value(x: unknown, prev: SpannedJson | undefined, schema: SchemaNode | undefined, depth: number): string {
    if (prev && canonical(x) === canonical(JSON.parse(this.text.slice(prev.start, prev.end)))) return this.text.slice(prev.start, prev.end);
    const inline = prev !== undefined && prev.kind !== 'scalar' && !this.text.slice(prev.start, prev.end).includes('\n');
    const pad = '  '.repeat(depth + 1);
    const close = '  '.repeat(depth);
    if (Array.isArray(x)) {
      const items = prev?.kind === 'array' ? prev.items : [];
      const itemSchema = this.items(schema);
      const parts = x.map((v, i) => this.value(v, items[i], itemSchema, depth + 1));
      if (parts.length === 0) return '[]';
      return inline ? `[${parts.join(', ')}]` : `[\n${parts.map((p) => pad + p).join(',\n')}\n${close}]`;
    }
    if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const entries = prev?.kind === 'object' ? prev.entries : [];
      const keys = this.order(Object.keys(o).filter((k) => o[k] !== undefined), entries.map((e) => e.key), schema);
      const parts = keys.map((k) => `${JSON.stringify(k)}: ${this.value(o[k], entries.find((e) => e.key === k)?.node, this.property(schema, k), depth + 1)}`);
      if (parts.length === 0) return '{}';
      return inline ? `{ ${parts.join(', ')} }` : `{\n${parts.map((p) => pad + p).join(',\n')}\n${close}}`;
    }
    return JSON.stringify(x);
  }

  /**
   * The file's keys in the file's order; a new key goes before the first of them that the schema
   * declares after it (keys the schema does not declare go last, as given).
   */
  private order(keys: string[], had: string[], schema: SchemaNode | undefined): string[] {
    const present = new Set(keys);
    const out = had.filter((k) => present.has(k));
    const placed = new Set(out);
    const declared = this.declared(schema);
    const rank = (k: string) => declared.indexOf(k);
    for (const k of declared) {
      if (!present.has(k) || placed.has(k)) continue;
      const before = out.findIndex((o) => rank(o) > rank(k));
      out.splice(before < 0 ? out.length : before, 0, k);
      placed.add(k);
    }
    for (const k of keys) if (!placed.has(k)) out.push(k);
    return out;
  }

  /** The schema nodes that apply to a value: the node, what it refers to, and its branches. */
  private branches(schema: SchemaNode | undefined, seen = new Set<SchemaNode>()): SchemaNode[] {
    if (!schema || typeof schema !== 'object' || seen.has(schema)) return [];
    seen.add(schema);
    const out = [schema];
    const ref = schema['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/')) out.push(...this.branches(this.resolve(ref), seen));
    for (const k of ['allOf', 'anyOf', 'oneOf']) for (const b of (schema[k] as SchemaNode[] | undefined) ?? []) out.push(...this.branches(b, seen));
    for (const k of ['then', 'else']) out.push(...this.branches(schema[k] as SchemaNode | undefined, seen));
    return out;
  }

  private resolve(ref: string): SchemaNode | undefined {
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node as SchemaNode | undefined;
  }

  private declared(schema: SchemaNode | undefined): string[] {
    return this.branches(schema).flatMap((b) => Object.keys((b['properties'] as SchemaNode | undefined) ?? {}));
  }

  private property(schema: SchemaNode | undefined, key: string): SchemaNode | undefined {
    const bs = this.branches(schema);
    for (const b of bs) {
      const p = (b['properties'] as Record<string, SchemaNode> | undefined)?.[key];
      if (p) return p;
    }
    for (const b of bs) {
      for (const [re, p] of Object.entries((b['patternProperties'] as Record<string, SchemaNode> | undefined) ?? {})) if (new RegExp(re, 'u').test(key)) return p;
    }
    for (const b of bs) if (typeof b['additionalProperties'] === 'object') return b['additionalProperties'] as SchemaNode;
    return undefined;
  }

  private items(schema: SchemaNode | undefined): SchemaNode | undefined {
    for (const b of this.branches(schema)) if (typeof b['items'] === 'object') return b['items'] as SchemaNode;
    return undefined;
  }
}
