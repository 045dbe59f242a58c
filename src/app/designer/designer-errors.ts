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
