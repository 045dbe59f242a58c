import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { instance } from '@viz-js/viz';
import { afterAll, describe, expect, it } from 'vitest';
import { toDot } from '../../src/core/designer/dot-diagram.js';
import { flowDiagram } from '../../src/core/designer/flow-diagram.js';
import { mermaidId, toMermaid } from '../../src/core/designer/mermaid-diagram.js';
import { shippedConfig } from '../helpers/shipped.js';
import { cli } from './designer-cli.js';
import { allElements, parseXml } from '../helpers/xml.js';

const config = shippedConfig();
const flows = [...config.flows.flows.values()];
const tmp = mkdtempSync(join(tmpdir(), 'ivr-sim-graph-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * What Mermaid's state-diagram lexer accepts, line by line: ids of word characters not starting
 * with a keyword, labels without ':' or ';', display names without '"'.
 */
const ID = String.raw`(?!(?:default|state|note|class|direction|scale|hide|acc|end|stateDiagram))[A-Za-z0-9_]+`;
const LABEL = String.raw`[^:;\n]+`;
const MERMAID_LINE = [
  new RegExp(String.raw`^\[\*\] --> ${ID}( : ${LABEL})?$`),
  new RegExp(String.raw`^${ID} --> \[\*\]$`),
  new RegExp(String.raw`^${ID} --> ${ID}( : ${LABEL})?$`),
  new RegExp(String.raw`^state "[^"]+" as ${ID}$`),
  new RegExp(String.raw`^state ${ID} \{$`),
  /^\}$/,
  new RegExp(String.raw`^${ID} : ${LABEL}$`),
  /^classDef \w+ [\w#:,.%-]+$/,
  /^class \w+(,\w+)* \w+$/,
];

describe('ivr-sim graph --format mermaid', () => {
  it.each(flows.map((f) => [f.id, f] as const))('%s: a stateDiagram-v2 in the constructs Mermaid parses, declaring every state before any transition uses it', (_id, flow) => {
    const text = toMermaid(flowDiagram(flow));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    let depth = 0;
    const declared = new Set<string>();
    for (const raw of lines.slice(1)) {
      const line = raw.trim();
      expect(MERMAID_LINE.some((re) => re.test(line)), `line not in Mermaid's state grammar: ${line}`).toBe(true);
      if (line.endsWith('{')) depth++;
      if (line === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
      const decl = /^state (?:"[^"]+" as )?(\w+)/.exec(line);
      if (decl) declared.add(decl[1]!);
      const edge = /^(\w+) --> (\w+)/.exec(line);
      if (edge && depth === 0) for (const id of [edge[1]!, edge[2]!]) expect(declared.has(id), `${id} used before it is declared`).toBe(true);
    }
    expect(depth).toBe(0);
    for (const s of flow.tree.states()) if (s !== flow.tree.root) expect(declared.has(mermaidId(s.path)), s.path).toBe(true);
  });

  it('draws the diamond flow with its menu and sub-flow as composites, keys, guards, retries, escalations, hot keys, waits, prompts and the two outcomes', async () => {
    const r = await cli('graph', 'vip-diamond');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').map((l) => l.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'state menu {',
        '[*] --> menu__welcome',
        'state diagnosis {',
        '[*] --> diagnosis__outageCheck : self-diagnosis sub-flow',
        'state "welcome" as menu__welcome',
        'menu__welcome : says greeting.vip-diamond',
        'menu__welcome : says promo.vip-travel or promo.vip-5g-upgrade (rotating)',
        'menu__welcome : waits 5 s',
        'menu__welcome : hot keys 0 1 2',
        'menu --> dataBalance : 1',
        'menu__welcome --> menu__repeat : other key, no input [retries < 2] / retry',
        'menu__repeat --> menu__repeat : other key, no input [retries < 2] / retry',
        'menu --> agent : other key, no input [else] / escalate',
        'menu__welcome --> agent : hot 0',
        'dataBalance --> anythingElse : prompt ends',
        'anythingElse --> selfServed : 9, no input',
        'diagnosis --> selfServed : done [result = fixed]',
        'diagnosis --> agent : done [else]',
        'diagnosis__outageCheck --> diagnosis__outageNotice : [areaOutage]',
        'diagnosis__fixed --> [*]',
        'selfServed --> [*]',
        'handoff --> [*]',
        'class selfServed,handoff outcome',
      ]),
    );
  });

  it('a flow id or a segment names the flow; an unknown one is a usage error listing the flows', async () => {
    expect((await cli('graph', 'standard')).code).toBe(0);
    const r = await cli('graph', 'platinum');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no flow or segment "platinum"; flows: 4g, campus, high-data, standard');
    expect((await cli('graph')).code).toBe(2);
    expect((await cli('graph', 'standard', '--format', 'png')).err).toContain('--format png: expected mermaid, dot, svg');
  });

  it('--all writes the Markdown document of every flow, and only as Mermaid', async () => {
    const r = await cli('graph', '--all');
    expect(r.code).toBe(0);
    expect(r.out.match(/^```mermaid$/gm)).toHaveLength(flows.length);
    expect((await cli('graph', '--all', '--format', 'dot')).code).toBe(2);
  });
});

describe('ivr-sim graph --format dot', () => {
  it.each(flows.map((f) => [f.id, f] as const))('%s: valid Graphviz that renders without errors', async (_id, flow) => {
    const viz = await instance();
    const result = viz.render(toDot(flowDiagram(flow)), { format: 'json', engine: 'dot' });
    expect(result.errors.filter((e) => e.level === 'error')).toEqual([]);
    expect(result.status).toBe('success');
  });

  it('draws compound states and the sub-flow as clusters, with edges leaving the cluster, and styled outcomes', async () => {
    const r = await cli('graph', 'vip-diamond', '--format', 'dot');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^digraph "vip-diamond" \{/);
    expect(r.out).toContain('graph [compound=true');
    expect(r.out).toContain('subgraph "cluster_menu" {');
    expect(r.out).toContain('id="diagnosis"; label="diagnosis · self-diagnosis sub-flow"; style="rounded,dashed"');
    expect(r.out).toContain('"menu.welcome" -> "dataBalance" [label="1", ltail="cluster_menu"];');
    expect(r.out).toContain('"menu.welcome" -> "agent" [label="hot 0", color="#1565c0"');
    expect(r.out).toContain('"diagnosis.outageCheck" -> "selfServed" [label="done [result = fixed]", ltail="cluster_diagnosis"');
    expect(r.out).toMatch(/"selfServed" \[id="selfServed", peripheries=2, style="rounded,filled,bold"/);
  });
});

describe('ivr-sim graph --format svg', () => {
  it.each(flows.map((f) => [f.id, f] as const))('%s: well-formed XML with an <svg> root and an element for every state', async (id, flow) => {
    const out = join(tmp, `${id}.svg`);
    const r = await cli('graph', id, '--format', 'svg', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote ${out}\n`);
    const svg = parseXml(readFileSync(out, 'utf8'));
    expect(svg.name).toBe('svg');
    const ids = new Set(allElements(svg).map((e) => e.attrs['id']));
    for (const s of flow.tree.states()) if (s !== flow.tree.root) expect(ids.has(s.path), `no element for state ${s.path}`).toBe(true);
  });
});
