// A worker thread that checks flow-editor drafts (validate + lint), so that the seconds lint
// takes on a large configuration never hold up the thread that answers calls.
import { isMainThread, parentPort } from 'node:worker_threads';
import { serializeError, type SerializedError } from '../replay/worker-error.js';
import { loadStaffingFile } from '../staffing/staffing-file.js';
import type { LoadedStaffing } from '../designer/queue-staffing-check.js';
import { checkDraft, loadDraft, type ConfigSnapshot } from './draft.js';
import type { EditableFile } from './editable-files.js';
import type { EditorIssue } from './editor-issue.js';

/** One draft to check, as plain data. */
export interface DraftCheckRequest {
  snapshot: ConfigSnapshot;
  changes: Array<[EditableFile, unknown]>;
  /** The staffing file routes are checked against, as `ivr-sim lint` does; none skips those checks. */
  staffingFile?: string;
  /** false: only whether the draft loads (what `ivr-sim validate` checks), without lint. */
  lint?: boolean;
}

export interface DraftCheckResult {
  valid: boolean;
  issues: EditorIssue[];
}

export type FromDraftCheckWorker = { id: number; result: DraftCheckResult } | { id: number; error: SerializedError };

const staffingCache = new Map<string, Promise<LoadedStaffing | undefined>>();

/** Loads the staffing once per file; a staffing file that does not load leaves the staffing checks out, as it is not part of the draft. */
function staffingOf(file: string): Promise<LoadedStaffing | undefined> {
  let s = staffingCache.get(file);
  if (!s) {
    s = loadStaffingFile(file).then(
      (r) => ({ file, staffing: r.staffing }),
      () => undefined,
    );
    staffingCache.set(file, s);
  }
  return s;
}

/** Checks a draft here (in whichever thread calls it). */
export async function runDraftCheck(req: DraftCheckRequest): Promise<DraftCheckResult> {
  if (req.lint === false) {
    const r = loadDraft(req.snapshot, new Map(req.changes));
    return 'issues' in r ? { valid: false, issues: r.issues } : { valid: true, issues: [] };
  }
  const staffing = req.staffingFile ? await staffingOf(req.staffingFile) : undefined;
  const { valid, issues } = checkDraft(req.snapshot, new Map(req.changes), staffing ? { staffing } : {});
  return { valid, issues };
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (m: { id: number; request: DraftCheckRequest }) => {
    runDraftCheck(m.request).then(
      (result) => port.postMessage({ id: m.id, result } satisfies FromDraftCheckWorker),
      (err: unknown) => port.postMessage({ id: m.id, error: serializeError(err) } satisfies FromDraftCheckWorker),
    );
  });
}
