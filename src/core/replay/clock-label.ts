/** A time on the trace's clock (seconds from its first midnight) as `HH:MM`, or `dN HH:MM` after day 0. */
export function clockLabel(startSec: number): string {
  const day = Math.floor(startSec / 86_400);
  const s = startSec - day * 86_400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  return day === 0 ? `${hh}:${mm}` : `d${day} ${hh}:${mm}`;
}
