/** Input checks shared by the Erlang formulas, so every entry point rejects the same nonsense the same way. */

export interface ErlangInputs {
  callsPerHour: number;
  ahtSec: number;
  agents: number;
  thresholdSec: number;
}

export function checkErlangInputs({ callsPerHour, ahtSec, agents, thresholdSec }: ErlangInputs): void {
  if (!(Number.isFinite(callsPerHour) && callsPerHour >= 0)) {
    throw new RangeError(`calls per hour must be a finite number >= 0, got ${callsPerHour}`);
  }
  if (!(Number.isFinite(ahtSec) && ahtSec > 0)) {
    throw new RangeError(`handle time must be a finite number of seconds > 0, got ${ahtSec}`);
  }
  if (!(Number.isInteger(agents) && agents >= 0)) {
    throw new RangeError(`agents must be an integer >= 0, got ${agents}`);
  }
  if (!(Number.isFinite(thresholdSec) && thresholdSec >= 0)) {
    throw new RangeError(`threshold must be a finite number of seconds >= 0, got ${thresholdSec}`);
  }
}

export function checkTargetServiceLevel(targetSl: number): void {
  if (!(targetSl > 0 && targetSl < 1)) {
    // A service level of exactly 1 is never reached by a queue with random arrivals.
    throw new RangeError(`target service level must be between 0 and 1 (exclusive), got ${targetSl}`);
  }
}
