import type { ConfigIssue } from '../config/config-error.js';
import type { ConfigPaths } from '../configuration/configuration.js';
import { repoPath } from './editable-files.js';

/** A problem of a draft, located for the editor: the file, the place in it, and the flow state and field it concerns. */
export interface EditorIssue {
  /** Repository-relative, e.g. `flows/vip-gold.json`. */
  file: string;
  /** JSON Pointer inside the file; empty for the whole file. */
  pointer: string;
  /** For a flow file: the flow's id. */
  flowId?: string;
  /** For a problem inside a state: its path, dot-separated (`menu.welcome`). */
  stateId?: string;
  /** What inside the state (or flow, without a state) is wrong, as a JSON Pointer relative to it: `/on/KEY.1`, `/meta/input/timeoutSec`. */
  field?: string;
  line?: number;
  column?: number;
  severity: 'error' | 'warning';
  /** Which check found it: the file's schema, the rest of `ivr-sim validate`, or `ivr-sim lint`. */
  source: 'schema' | 'validate' | 'lint';
  message: string;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Locates a loader or lint issue for the editor. `flowIds` gives the id of each flow file
 * (by repository-relative path), for issues in flows.
 */
export function editorIssue(issue: ConfigIssue, source: 'validate' | 'lint', paths: ConfigPaths, flowIds: ReadonlyMap<string, string>): EditorIssue {
  const file = repoPath(issue.file, paths);
  const out: EditorIssue = {
    file,
    pointer: issue.path.startsWith('/') || issue.path === '' ? issue.path : '',
    severity: issue.severity,
    source: / \(schema [^)]*\)$/.test(issue.message) ? 'schema' : source,
    message: issue.message,
  };
  if (issue.line !== undefined) out.line = issue.line;
  if (issue.column !== undefined) out.column = issue.column;
  const flowId = flowIds.get(file);
  if (flowId !== undefined || file.startsWith('flows/shared/')) {
    if (flowId !== undefined) out.flowId = flowId;
    const segments = out.pointer.split('/').slice(1).map(unescape);
    const states: string[] = [];
    let i = 0;
    while (segments[i] === 'states' && segments[i + 1] !== undefined) {
      states.push(segments[i + 1]!);
      i += 2;
    }
    if (states.length) out.stateId = states.join('.');
    const rest = segments.slice(i);
    if (rest.length) out.field = rest.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  }
  return out;
}
