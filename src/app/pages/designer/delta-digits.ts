/** How the impact table rounds its deltas (no DOM here, so it can be tested in Node). */

/**
 * Digits to show a delta and its interval with: `digits`, or more (up to 3) when the delta
 * moves but a figure would round to zero — a change that moves must not read as "+0.0".
 */
export function deltaDigits(digits: number, moved: boolean, figures: readonly number[]): number {
  let d = digits;
  while (moved && d < 3 && figures.some((v) => v !== 0 && Number(Math.abs(v).toFixed(d)) === 0)) d++;
  return d;
}
