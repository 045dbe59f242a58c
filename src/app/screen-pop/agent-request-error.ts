import { NamedError } from '../../core/errors/named-error.js';

/** A desktop asked for events in a way that cannot be served (bad agent id, bad or unknown queues). HTTP 400. */
export class AgentRequestError extends NamedError {
  readonly code = 'AGENT_REQUEST_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'AgentRequestError';
  }
}
