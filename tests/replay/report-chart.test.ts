import { describe, expect, it } from 'vitest';
import { lineChart } from '../../src/core/replay/report-chart.js';

/** The y-axis labels of a chart, bottom to top. */
const yLabels = (svg: string) => [...svg.matchAll(/class="yl">([^<]*)</g)].map((m) => m[1]);

describe('the report charts’ y axis', () => {
  it('is labelled in round steps from 0 just past the highest point', () => {
    const perDay = lineChart('Calls per hour, day by day', [{ name: 'calls per hour', points: [[0, 502], [86_400, 504], [172_800, 81]] }]);
    expect(yLabels(perDay)).toEqual(['0', '200', '400', '600']);
    const waiting = lineChart('Calls waiting', [{ name: 'tech', points: [[0, 0.26], [1800, 1.3]] }]);
    expect(yLabels(waiting)).toEqual(['0', '0.5', '1', '1.5']);
    // A quiet morning's queues are not flattened against an axis up to 1.
    const quiet = lineChart('Calls waiting', [{ name: 'tech', points: [[0, 0.02], [1800, 0.26]] }]);
    expect(yLabels(quiet)).toEqual(['0', '0.1', '0.2', '0.3']);
    const none = lineChart('Calls waiting', [{ name: 'tech', points: [[0, 0], [1800, 0]] }]);
    expect(yLabels(none).at(0)).toBe('0');
    expect(Number(yLabels(none).at(-1))).toBeGreaterThanOrEqual(1);
    const busy = lineChart('Calls', [{ name: 'all', points: [[0, 4983], [1800, 3000]] }]);
    expect(yLabels(busy)).toEqual(['0', '2000', '4000', '6000']);
  });

  it('keeps a fixed scale as given (service level and occupancy from 0 to 100 %)', () => {
    const sl = lineChart('SL', [{ name: 'vip', points: [[0, 0.62], [1800, 0.97]] }], { yMax: 1, yFormat: (y) => `${Math.round(y * 100)}%` });
    expect(yLabels(sl)).toEqual(['0%', '25%', '50%', '75%', '100%']);
  });
});
