import type { EditorIssue } from '../../core/editing/editor-issue.js';
import { NamedError } from '../../core/errors/named-error.js';

/** A /designer/try body that cannot be walked; the message lists every problem. HTTP 400. */
export class DesignerRequestError extends NamedError {
  readonly code = 'DESIGNER_REQUEST_INVALID';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'DesignerRequestError';
  }
}

/** No flow with that id in the configuration being served. HTTP 404. */
export class DesignerFlowNotFoundError extends NamedError {
  readonly code = 'DESIGNER_FLOW_NOT_FOUND';
  constructor(flowId: string, known: readonly string[]) {
    super(`no flow "${flowId}"; flows: ${known.join(', ')}`);
    this.name = 'DesignerFlowNotFoundError';
  }
}

/** The configuration cannot walk this call (a flow that loops without end). HTTP 422. */
export class DesignerWalkError extends NamedError {
  readonly code = 'DESIGNER_WALK_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'DesignerWalkError';
  }
}

/** A flow-editor draft that does not load or check: never tried, drawn, compared or saved. HTTP 422 with the issues. */
export class DesignerDraftInvalidError extends NamedError {
  readonly code = 'DESIGNER_DRAFT_INVALID';
  constructor(
    readonly issues: readonly EditorIssue[],
    what = 'the draft',
  ) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(`${what} has ${errors.length} error${errors.length === 1 ? '' : 's'}${errors.length ? `: ${errors.slice(0, 3).map((i) => `${i.file}${i.pointer ? ` at ${i.pointer}` : ''}: ${i.message}`).join('; ')}` : ''}`);
    this.name = 'DesignerDraftInvalidError';
  }
  /** What the response carries besides error and message. */
  responseFields(): Record<string, unknown> {
    return { issues: this.issues };
  }
}

/** A save or restore started from another configuration version than the one served now. HTTP 409. */
export class DesignerVersionConflictError extends NamedError {
  readonly code = 'DESIGNER_VERSION_CONFLICT';
  constructor(
    readonly baseVersion: string,
    readonly currentVersion: string,
  ) {
    super(`the draft started from configuration version ${baseVersion}, but ${currentVersion} is served now (someone saved in between): reload the workspace and apply the edit again`);
    this.name = 'DesignerVersionConflictError';
  }
  responseFields(): Record<string, unknown> {
    return { currentVersion: this.currentVersion };
  }
}

/** No saved version with that id. HTTP 404. */
export class DesignerVersionNotFoundError extends NamedError {
  readonly code = 'DESIGNER_VERSION_NOT_FOUND';
  constructor(id: string) {
    super(`no saved version "${id}"; GET /designer/api/versions lists them`);
    this.name = 'DesignerVersionNotFoundError';
  }
}
