import type { StaffingWarning } from '../core/replay/staffing-gaps.js';

/** A report's warnings for a terminal: one line each, `label` naming the scenario in a comparison. */
export function warningLines(warnings: readonly StaffingWarning[], label = ''): string {
  return warnings.map((w) => `warning: ${label}${w.message}\n`).join('');
}
