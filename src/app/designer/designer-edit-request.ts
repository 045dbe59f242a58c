import type { ConfigPaths } from '../../core/configuration/configuration.js';
import type { DraftChanges } from '../../core/editing/draft.js';
import { editableFile, type EditableFile } from '../../core/editing/editable-files.js';
import { DesignerRequestError } from './designer-errors.js';

/** A flow-editor request body, read: the fields every editing endpoint shares. */
export interface EditRequestBody {
  fields: Record<string, unknown>;
  baseVersion?: string;
  changes: DraftChanges;
}

/** Far more files than the editor can change; bounds the work one request causes. */
const MAX_CHANGED_FILES = 64;

/**
 * Reads `{baseVersion, changes, …}`: every problem (an unknown property, a path that is not an
 * editable file, a document that is not a JSON object, a deletion of something other than a
 * segment flow) is collected, then DesignerRequestError names each field. `more` checks the
 * endpoint's own properties and reports into the same list.
 */
export function readEditRequest(
  body: unknown,
  paths: Pick<ConfigPaths, 'flowsDir' | 'rulesDir'>,
  opts: { properties: readonly string[]; requireBase?: boolean; requireChanges?: boolean },
  more?: (fields: Record<string, unknown>, problems: string[]) => void,
): EditRequestBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new DesignerRequestError(['expected a JSON object: {"baseVersion": "…", "changes": {"flows/vip-gold.json": {…}}}']);
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  const known = ['baseVersion', 'changes', ...opts.properties];
  for (const k of Object.keys(b)) if (!known.includes(k)) problems.push(`unknown property "${k}"; expected ${known.join(', ')}`);

  let baseVersion: string | undefined;
  if (b['baseVersion'] === undefined || b['baseVersion'] === null) {
    if (opts.requireBase) problems.push('baseVersion: missing; the configuration version the draft started from (GET /designer/api/workspace gives it)');
  } else if (typeof b['baseVersion'] !== 'string' || !/^[0-9a-f]{1,64}$/.test(b['baseVersion'])) problems.push(`baseVersion: ${JSON.stringify(b['baseVersion'])} is not a configuration version`);
  else baseVersion = b['baseVersion'];

  const changes = new Map<EditableFile, unknown>();
  const raw = b['changes'];
  if (raw === undefined || raw === null) {
    if (opts.requireChanges ?? true) problems.push('changes: missing; an object of {"<file>": <document> | null}, e.g. {"flows/vip-gold.json": {…}}');
  } else if (typeof raw !== 'object' || Array.isArray(raw)) problems.push('changes: expected an object of {"<file>": <document> | null}');
  else {
    const entries = Object.entries(raw as Record<string, unknown>);
    if (entries.length > MAX_CHANGED_FILES) problems.push(`changes: ${entries.length} files, at most ${MAX_CHANGED_FILES}`);
    for (const [path, doc] of entries) {
      const file = editableFile(path, paths);
      if (typeof file === 'string') {
        problems.push(`changes["${path}"]: ${file}`);
        continue;
      }
      if (doc === null) {
        if (file.kind !== 'flow') problems.push(`changes["${path}"]: null deletes a file, and only segment flows (flows/<name>.json) can be deleted`);
        else changes.set(file, null);
      } else if (typeof doc !== 'object' || Array.isArray(doc)) problems.push(`changes["${path}"]: expected the whole document (a JSON object), or null to delete a flow`);
      else changes.set(file, doc);
    }
  }
  more?.(b, problems);
  if (problems.length) throw new DesignerRequestError(problems);
  return { fields: b, ...(baseVersion !== undefined ? { baseVersion } : {}), changes };
}
