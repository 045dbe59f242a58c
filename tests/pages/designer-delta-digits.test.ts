import { describe, expect, it } from 'vitest';
import { deltaDigits } from '../../src/app/pages/designer/delta-digits.js';

describe("the designer page's impact table", () => {
  it('shows a delta that moves with the digits it needs, so it never reads as +0.0', () => {
    expect(deltaDigits(1, true, [0.03, 0.01, 0.05])).toBe(2);
    expect(deltaDigits(1, true, [0.004, 0.002, 0.006])).toBe(3);
    expect(deltaDigits(1, true, [0.0004, 0.0002, 0.0006])).toBe(3); // at most 3
  });

  it('keeps the usual digits for a delta within noise or one that already shows', () => {
    expect(deltaDigits(1, false, [0.03, -0.01, 0.05])).toBe(1);
    expect(deltaDigits(1, true, [2.5, 1.9, 3.1])).toBe(1);
    expect(deltaDigits(0, true, [55, 50.2, 59.9])).toBe(0);
    expect(deltaDigits(1, true, [0, 0, 0])).toBe(1);
  });
});
