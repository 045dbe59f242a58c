import type { KpiRow } from './replay-report.js';

/** How a metric feeds the composite score: its dimension and whether more is better. */
export interface ScoreMetric {
  metric: 'serviceLevel' | 'asaSec' | 'ahtSec' | 'abandonRate' | 'containmentRate' | 'occupancy' | 'avgIvrSec' | 'marketingSmsPerCall' | 'serviceSmsPerCall';
  dimension: 'efficiency' | 'quality' | 'marketing';
  higherIsBetter: boolean;
  /** Weight of the metric within its dimension (default 1). */
  weight?: number;
}

export interface ScoreWeights {
  dimensions: Record<'efficiency' | 'quality' | 'marketing', number>;
  metrics: ScoreMetric[];
}

/**
 * The operator's evaluation model: efficiency (speed of answer, agent use), quality (callers
 * served, not lost) and marketing (touchpoints created), each a weighted mean of min-max
 * normalised metrics, combined with dimension weights.
 */
export const DEFAULT_WEIGHTS: ScoreWeights = {
  dimensions: { efficiency: 0.4, quality: 0.4, marketing: 0.2 },
  metrics: [
    { metric: 'serviceLevel', dimension: 'efficiency', higherIsBetter: true, weight: 2 },
    { metric: 'asaSec', dimension: 'efficiency', higherIsBetter: false },
    { metric: 'occupancy', dimension: 'efficiency', higherIsBetter: true },
    { metric: 'avgIvrSec', dimension: 'efficiency', higherIsBetter: false },
    { metric: 'abandonRate', dimension: 'quality', higherIsBetter: false, weight: 2 },
    { metric: 'containmentRate', dimension: 'quality', higherIsBetter: true },
    { metric: 'ahtSec', dimension: 'quality', higherIsBetter: false },
    { metric: 'marketingSmsPerCall', dimension: 'marketing', higherIsBetter: true },
    { metric: 'serviceSmsPerCall', dimension: 'marketing', higherIsBetter: true },
  ],
};

export interface ScoredScenario {
  name: string;
  score: number;
  dimensions: Record<'efficiency' | 'quality' | 'marketing', number>;
}

function metricValue(row: KpiRow, m: ScoreMetric['metric'], marketingTemplates: ReadonlySet<string>): number | null {
  if (m === 'marketingSmsPerCall' || m === 'serviceSmsPerCall') {
    if (row.calls === 0) return null;
    let n = 0;
    for (const [t, c] of Object.entries(row.sms)) if (marketingTemplates.has(t) === (m === 'marketingSmsPerCall')) n += c;
    return n / row.calls;
  }
  return row[m];
}

/**
 * Scores scenarios against each other: each metric is min-max normalised across them (best 1,
 * worst 0; 0.5 when all are equal or a value is missing), so the score ranks the scenarios
 * given and means nothing on its own.
 */
export function scoreScenarios(
  rows: Array<{ name: string; row: KpiRow }>,
  weights: ScoreWeights = DEFAULT_WEIGHTS,
  marketingTemplates: ReadonlySet<string> = new Set(),
): ScoredScenario[] {
  const dims = ['efficiency', 'quality', 'marketing'] as const;
  const normalised = weights.metrics.map((m) => {
    const values = rows.map((r) => metricValue(r.row, m.metric, marketingTemplates));
    const present = values.filter((v): v is number => v !== null);
    const lo = Math.min(...present);
    const hi = Math.max(...present);
    return values.map((v) => {
      if (v === null || present.length === 0 || hi === lo) return 0.5;
      const x = (v - lo) / (hi - lo);
      return m.higherIsBetter ? x : 1 - x;
    });
  });
  const totalDim = dims.reduce((a, d) => a + weights.dimensions[d], 0) || 1;
  return rows.map((r, i) => {
    const dimensions = {} as Record<(typeof dims)[number], number>;
    for (const d of dims) {
      let sum = 0;
      let w = 0;
      weights.metrics.forEach((m, j) => {
        if (m.dimension !== d) return;
        sum += (m.weight ?? 1) * normalised[j]![i]!;
        w += m.weight ?? 1;
      });
      dimensions[d] = w > 0 ? Math.round((sum / w) * 1000) / 1000 : 0;
    }
    const score = dims.reduce((a, d) => a + weights.dimensions[d] * dimensions[d], 0) / totalDim;
    return { name: r.name, score: Math.round(score * 1000) / 1000, dimensions };
  });
}
