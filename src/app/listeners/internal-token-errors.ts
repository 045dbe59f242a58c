import { NamedError } from '../../core/errors/named-error.js';

/** No or an unusable token on an internal route. HTTP 401. */
export class InternalTokenMissingError extends NamedError {
  readonly code = 'INTERNAL_TOKEN_MISSING';
  constructor() {
    super('this page needs the internal token: open it once with ?token=…, or send Authorization: Bearer …');
    this.name = 'InternalTokenMissingError';
  }
}

/** A token that is not INTERNAL_TOKEN. HTTP 401. */
export class InternalTokenInvalidError extends NamedError {
  readonly code = 'INTERNAL_TOKEN_INVALID';
  constructor() {
    super('the internal token is not the one this service was started with');
    this.name = 'InternalTokenInvalidError';
  }
}
