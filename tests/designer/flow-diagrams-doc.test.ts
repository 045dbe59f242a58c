import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { FLOW_DIAGRAMS_COMMAND, flowDiagramsMarkdown } from '../../src/core/designer/flow-diagrams-doc.js';
import { shippedConfig } from '../helpers/shipped.js';

describe('docs/flow-diagrams.md', () => {
  it('is what `ivr-sim graph --all` draws from the shipped flows today (so it never goes stale)', () => {
    const committed = readFileSync(join(PACKAGE_ROOT, 'docs', 'flow-diagrams.md'), 'utf8');
    const fresh = flowDiagramsMarkdown(shippedConfig());
    expect(committed === fresh, `docs/flow-diagrams.md is out of date with the flows; regenerate it with: ${FLOW_DIAGRAMS_COMMAND}`).toBe(true);
  });

  it('has one Mermaid diagram per segment flow, highest segment first', () => {
    const doc = flowDiagramsMarkdown(shippedConfig());
    const headings = [...doc.matchAll(/^## .* — `([\w-]+)`$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['vip-diamond', 'vip-gold', 'vip-silver', 'vip-card', 'campus', 'high-data', '4g', 'standard']);
    expect(doc.match(/^```mermaid\nstateDiagram-v2$/gm)).toHaveLength(8);
  });
});
