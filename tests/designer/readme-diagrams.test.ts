import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/configuration/configuration.js';
import { toDot } from '../../src/core/designer/dot-diagram.js';
import { flowDiagram } from '../../src/core/designer/flow-diagram.js';
import { renderSvg } from '../../src/core/designer/svg-render.js';
import { shippedConfig } from '../helpers/shipped.js';

const REGENERATE = 'for f in vip-diamond vip-gold vip-silver vip-card campus high-data 4g standard; do npx ivr-sim graph $f --format svg --out docs/diagrams/$f.svg; done';

describe('the diagrams the README shows', () => {
  const config = shippedConfig();
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');

  it.each([...config.flows.flows.keys()])('docs/diagrams/%s.svg is what graph draws from the shipped flow today, and the README shows it', async (id) => {
    const committed = readFileSync(join(PACKAGE_ROOT, 'docs', 'diagrams', `${id}.svg`), 'utf8');
    const fresh = await renderSvg(toDot(flowDiagram(config.flows.flows.get(id)!)));
    expect(committed === fresh, `docs/diagrams/${id}.svg is out of date; regenerate: ${REGENERATE}`).toBe(true);
    expect(readme).toContain(`(docs/diagrams/${id}.svg)`);
  });
});
