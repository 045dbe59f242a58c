import { esc } from './report-chart.js';
import type { StaffingWarning } from './staffing-gaps.js';

/** The report's warnings as a short list for the top of the HTML page; nothing when there are none. */
export function warningsHtml(warnings: readonly StaffingWarning[]): string {
  if (warnings.length === 0) return '';
  return `<ul class="warnings" style="color:#8a3b00">${warnings.map((w) => `<li>warning: ${esc(w.message)}</li>`).join('')}</ul>\n`;
}
