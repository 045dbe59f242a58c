/** Checks one offered call on its own: fields in range and every queue known to the staffing. */

import type { OfferedCall } from './offered-call.js';
import { SimulationError } from './simulation-error.js';

/**
 * @param checkedRoute a route already checked (routes are plain data that nothing changes, and
 * replays share one route object among many calls): when it is this call's, only the call's own
 * fields are checked.
 */
export function checkOfferedCall(call: OfferedCall, queueIds: ReadonlySet<string>, checkedRoute?: OfferedCall['route']): void {
  // Every call passes here: the usual case is one test, with no closure made; failures (and new
  // routes) take the path below, which words the error.
  if (
    call.route === checkedRoute &&
    Number.isInteger(call.seq) &&
    call.seq >= 0 &&
    Number.isFinite(call.arrivalSec) &&
    call.queuedSec >= call.arrivalSec &&
    Number.isFinite(call.queuedSec) &&
    call.talkSec >= 0 &&
    Number.isFinite(call.talkSec) &&
    (call.wrapSec === undefined || (call.wrapSec >= 0 && Number.isFinite(call.wrapSec))) &&
    (call.patienceSec === undefined || call.patienceSec >= 0)
  ) {
    return;
  }
  const fail = (message: string) => new SimulationError('INVALID_CALL', message, call.callId);
  if (!Number.isInteger(call.seq) || call.seq < 0) throw fail(`seq must be an integer >= 0, got ${call.seq}`);
  if (!Number.isFinite(call.arrivalSec)) throw fail(`arrivalSec must be a finite number, got ${call.arrivalSec}`);
  if (!(call.queuedSec >= call.arrivalSec) || !Number.isFinite(call.queuedSec)) {
    throw fail(`queuedSec (${call.queuedSec}) must be a finite number not before arrivalSec (${call.arrivalSec})`);
  }
  if (!(call.talkSec >= 0) || !Number.isFinite(call.talkSec)) throw fail(`talkSec must be a finite number >= 0, got ${call.talkSec}`);
  if (call.wrapSec !== undefined && !(call.wrapSec >= 0 && Number.isFinite(call.wrapSec))) {
    throw fail(`wrapSec must be a finite number >= 0, got ${call.wrapSec}`);
  }
  if (call.patienceSec !== undefined && !(call.patienceSec >= 0)) {
    throw fail(`patienceSec must be a number >= 0, got ${call.patienceSec}`);
  }
  if (call.route === checkedRoute) return;
  if (!Number.isFinite(call.route.priority)) throw fail(`route priority must be a finite number, got ${call.route.priority}`);
  const known = (queue: string) => {
    if (!queueIds.has(queue)) {
      throw new SimulationError(
        'UNKNOWN_QUEUE',
        `routes to queue '${queue}', which the staffing file does not define (known: ${[...queueIds].join(', ')})`,
        call.callId,
      );
    }
  };
  known(call.route.queue);
  for (const step of call.route.overflow) {
    known(step.queue);
    if (!(step.afterSec >= 0) || !Number.isFinite(step.afterSec)) {
      throw fail(`overflow to '${step.queue}' must come after a finite number of seconds >= 0, got ${step.afterSec}`);
    }
    if (step.priority !== undefined && !Number.isFinite(step.priority)) {
      throw fail(`overflow priority must be a finite number, got ${step.priority}`);
    }
  }
}
