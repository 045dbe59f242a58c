import { describe, expect, it } from 'vitest';
import { deltaClass } from '../../src/core/replay/compare-html.js';
import { DELTA_FIELDS } from '../../src/core/replications/replication-report.js';

describe('compare.html colours a delta as the replications judge it', () => {
  it('green where the candidate is better, red where worse, plain where neither way is better', () => {
    expect(deltaClass({ delta: 'serviceLevelPp' }, 2.5)).toBe('d up');
    expect(deltaClass({ delta: 'asaSec' }, 3)).toBe('d down');
    // Shorter handling and IVR time and higher occupancy count as better, as in candidateWinsShare and the composite score.
    expect(deltaClass({ delta: 'ahtSec' }, -4)).toBe('d up');
    expect(deltaClass({ delta: 'avgIvrSec' }, 1.5)).toBe('d down');
    expect(deltaClass({ delta: 'occupancyPp' }, 2)).toBe('d up');
    expect(deltaClass({ delta: 'calls' }, 12)).toBe('d');
    expect(deltaClass({ delta: 'handedOff' }, -3)).toBe('d');
    expect(deltaClass({ delta: 'serviceLevelPp' }, 0)).toBe('d');
    expect(deltaClass({ delta: 'serviceLevelPp' }, null)).toBe('d');
  });

  it('every delta field the replications judge is coloured the same way', () => {
    for (const [field, better] of DELTA_FIELDS) {
      expect(deltaClass({ delta: field }, 1), field).toBe(better === null ? 'd' : better > 0 ? 'd up' : 'd down');
    }
  });
});
