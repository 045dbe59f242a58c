import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPaths } from '../../src/core/configuration/configuration.js';
import { editableFile } from '../../src/core/editing/editable-files.js';
import { writeStableJson } from '../../src/core/editing/stable-json.js';

const paths = defaultPaths();
const shipped = [
  ...readdirSync(paths.flowsDir).filter((f) => f.endsWith('.json')).map((f) => `flows/${f}`),
  ...readdirSync(join(paths.flowsDir, 'shared')).filter((f) => f.endsWith('.json')).map((f) => `flows/shared/${f}`),
  ...readdirSync(paths.rulesDir).filter((f) => f.endsWith('.json')).map((f) => `rules/${f}`),
];
const textOf = (path: string) => readFileSync(join(path.startsWith('flows/') ? paths.flowsDir : paths.rulesDir, path.slice(path.indexOf('/') + 1)), 'utf8');
const schemaOf = (path: string) => {
  if (path.startsWith('flows/shared/')) return 'flow' as const;
  const f = editableFile(path, paths);
  if (typeof f === 'string') throw new Error(f);
  return f.schema;
};

/** The lines of `after` that differ from `before`, as a line diff would show them (same line count only). */
function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]!] as [string, string]]));
}

describe('saving a document the way a designer would have edited the file', () => {
  it.each(shipped)('writes %s back byte for byte when nothing changed', (path) => {
    const text = textOf(path);
    expect(writeStableJson(JSON.parse(text), text, schemaOf(path))).toBe(text);
  });

  it('keeps the file’s key order when the editor sends the keys in another order', () => {
    const text = textOf('flows/vip-gold.json');
    const doc = JSON.parse(text) as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(doc).reverse());
    expect(writeStableJson(reversed, text, 'flow')).toBe(text);
  });

  it('changes only the line of a changed value', () => {
    const text = textOf('flows/prompts.json');
    const doc = JSON.parse(text);
    const id = Object.keys(doc.prompts)[0]!;
    doc.prompts[id].text['zh-CN'] = '新的提示';
    const out = writeStableJson(doc, text, 'prompts');
    const diff = changedLines(text, out);
    expect(diff).toHaveLength(1);
    expect(diff[0]![1]).toContain('"zh-CN": "新的提示"');
  });

  it('adds a new key of a state where the schema declares it, indented by two spaces per level', () => {
    const text = textOf('flows/vip-gold.json');
    const doc = JSON.parse(text);
    const [name, state] = Object.entries(doc.states as Record<string, Record<string, unknown>>).find(([, s]) => s['on'] && !s['description'] && s['entry'])!;
    state['description'] = 'a note';
    const out = writeStableJson(doc, text, 'flow');
    // Only one line more: the new key; the state's other keys keep their order and layout.
    expect(out.split('\n').length).toBe(text.split('\n').length + 1);
    const reparsed = JSON.parse(out);
    expect(reparsed).toEqual(doc);
    // The existing keys keep their order; the new one goes where the schema declares it: before `entry`.
    const had = Object.keys(JSON.parse(text).states[name]);
    const keys = Object.keys(reparsed.states[name]);
    expect(keys.filter((k) => k !== 'description')).toEqual(had);
    expect(keys.indexOf('description')).toBe(keys.indexOf('entry') - 1);
    const depth = out.split('\n').find((l) => l.includes('"description": "a note"'))!;
    expect(depth).toMatch(/^ {6}"description": "a note",?$/);
  });

  it('writes a new document in the schema’s property order', () => {
    const doc = { states: { a: { type: 'final' } }, initial: 'a', meta: { segment: 'x' }, id: 'x' };
    expect(Object.keys(JSON.parse(writeStableJson(doc, undefined, 'flow')))).toEqual(['id', 'initial', 'meta', 'states']);
    expect(writeStableJson(doc, undefined, 'flow')).toBe('{\n  "id": "x",\n  "initial": "a",\n  "meta": {\n    "segment": "x"\n  },\n  "states": {\n    "a": {\n      "type": "final"\n    }\n  }\n}\n');
  });

  it('keeps an object the file wrote on one line on one line when it changes', () => {
    const text = textOf('rules/contact-policy.json');
    const doc = JSON.parse(text);
    doc.quietHours.start = '22:00';
    const diff = changedLines(text, writeStableJson(doc, text, 'contact-policy'));
    expect(diff).toEqual([['  "quietHours": { "start": "21:00", "end": "08:00" },', '  "quietHours": { "start": "22:00", "end": "08:00" },']]);
  });
});
