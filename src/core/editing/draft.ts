import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError, IssueCollector, type ConfigIssue } from '../config/config-error.js';
import { OverlaySource } from '../config/config-source.js';
import { loadConfiguration, type ConfigPaths, type Configuration } from '../configuration/configuration.js';
import { lintLoaded } from '../designer/lint.js';
import type { LoadedStaffing } from '../designer/queue-staffing-check.js';
import { CONTACT_POLICY_FILE_NAME, readContactPolicy } from '../sms/contact-policy-file.js';
import { editableFile, repoPath, type EditableFile } from './editable-files.js';
import { editorIssue, type EditorIssue } from './editor-issue.js';

/**
 * The files a served configuration was loaded from, by path: the base every draft of the flow
 * editor is laid over. The contact policy is read by its own loader, so it is read here.
 */
export interface ConfigSnapshot {
  paths: ConfigPaths;
  version: string;
  texts: ReadonlyMap<string, string>;
}

export function snapshotOf(config: Configuration): ConfigSnapshot {
  if (!config.sources) throw new Error('this configuration keeps no sources: load it from files');
  const texts = new Map(config.sources);
  const policy = join(config.paths.rulesDir, CONTACT_POLICY_FILE_NAME);
  if (existsSync(policy)) texts.set(policy, readFileSync(policy, 'utf8'));
  return { paths: config.paths, version: config.version, texts };
}

/** A draft's changes, read and checked: each edited file with its new document, or null to delete it. */
export type DraftChanges = ReadonlyMap<EditableFile, unknown>;

/** Every file of the snapshot the editor may change, by repository-relative path, with its text. */
export function editableTexts(snapshot: ConfigSnapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, text] of snapshot.texts) {
    const path = repoPath(file, snapshot.paths);
    const e = editableFile(path, snapshot.paths);
    if (typeof e !== 'string' && e.file === file) out.set(path, text);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The snapshot with the draft's documents laid over it, as the configuration loader reads files. */
export function draftSource(snapshot: ConfigSnapshot, changes: DraftChanges): OverlaySource {
  const overlay = new Map<string, string | null>();
  for (const [f, doc] of changes) overlay.set(f.file, doc === null ? null : JSON.stringify(doc, null, 2) + '\n');
  return new OverlaySource(snapshot.texts, overlay);
}

/**
 * The draft as the service would load it (validation only, no lint): its configuration, or the
 * issues that stop it loading.
 */
export function loadDraft(snapshot: ConfigSnapshot, changes: DraftChanges): { config: Configuration } | { issues: EditorIssue[] } {
  const source = draftSource(snapshot, changes);
  try {
    return { config: loadConfiguration(snapshot.paths, { source }) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const ids = flowIds(source, snapshot.paths);
    return { issues: err.issues.map((i) => editorIssue(i, 'validate', snapshot.paths, ids)) };
  }
}

export interface DraftCheck {
  valid: boolean;
  issues: EditorIssue[];
  /** The draft's configuration when it loads (it may still have lint errors). */
  config?: Configuration;
}

export interface DraftCheckOptions {
  /** Routes are checked against this staffing, as `ivr-sim lint` does with the staffing file. */
  staffing?: LoadedStaffing;
}

/**
 * Checks a draft with what `ivr-sim validate` and `ivr-sim lint` run (the same loader, on the
 * served files with the draft's documents over them), each issue located for the editor.
 */
export function checkDraft(snapshot: ConfigSnapshot, changes: DraftChanges, opts: DraftCheckOptions = {}): DraftCheck {
  const source = draftSource(snapshot, changes);
  const paths = snapshot.paths;
  const found: Array<{ issue: ConfigIssue; by: 'validate' | 'lint' }> = [];
  let config: Configuration | undefined;
  try {
    config = loadConfiguration(paths, { source, ...(opts.staffing ? { queues: new Set(opts.staffing.staffing.queues.map((q) => q.id)) } : {}) });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const issue of err.issues) found.push({ issue, by: 'validate' });
  }
  if (config) {
    const validated = new Set(config.warnings);
    for (const issue of lintLoaded(config, opts.staffing ? { staffing: opts.staffing } : {})) found.push({ issue, by: validated.has(issue) ? 'validate' : 'lint' });
  }
  const policy = [...changes.keys()].find((f) => basename(f.file) === CONTACT_POLICY_FILE_NAME && f.kind === 'rules');
  if (policy && changes.get(policy) !== null) {
    const issues = new IssueCollector();
    readContactPolicy(policy.file, issues, source);
    for (const issue of issues.issues) found.push({ issue, by: 'validate' });
  }
  const ids = flowIds(source, paths);
  const issues = found.map(({ issue, by }) => editorIssue(issue, by, paths, ids));
  return { valid: !issues.some((i) => i.severity === 'error'), issues, ...(config ? { config } : {}) };
}

/** The id of each segment flow file of the draft (its file name when the document has none). */
function flowIds(source: OverlaySource, paths: ConfigPaths): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of source.listJson(paths.flowsDir)) {
    if (basename(file) === 'prompts.json') continue;
    let id = basename(file, '.json');
    try {
      const doc = JSON.parse(source.readText(file)) as { id?: unknown };
      if (typeof doc.id === 'string') id = doc.id;
    } catch {
      // the loader reports it
    }
    out.set(repoPath(file, paths), id);
  }
  return out;
}
