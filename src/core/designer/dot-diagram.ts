import type { DiagramEdge, DiagramNode, FlowDiagram } from './flow-diagram.js';

/**
 * A flow as a Graphviz DOT digraph: compound states (and the inlined sub-flow) as clusters,
 * outcomes double-bordered and coloured, input states bold, hot keys blue, escalations red, retries dashed.
 * Transitions of a compound state leave its cluster boundary (`compound=true`, `ltail`).
 */
export function toDot(d: FlowDiagram): string {
  const byPath = new Map(d.nodes.map((n) => [n.path, n]));
  const out: string[] = [
    `digraph ${q(d.flowId)} {`,
    `  graph [compound=true, rankdir=TB, fontname="Helvetica", fontsize=12, labelloc=t, label=${q(`${d.title} — flow ${d.flowId} (segment ${d.segment})`)}];`,
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
    `  ${q('__start')} [shape=circle, style=filled, fillcolor=black, label="", width=0.18];`,
  ];
  const declare = (n: DiagramNode, indent: string) => {
    if (n.children.length) {
      out.push(`${indent}subgraph ${q(clusterId(n.path))} {`);
      const inner = indent + '  ';
      out.push(`${inner}id=${q(n.path)}; label=${q(n.title)}; style=${n.kind === 'subflow' ? '"rounded,dashed"' : 'rounded'}; color=gray40;`);
      if (n.initial) {
        out.push(`${inner}${q(startId(n.path))} [shape=circle, style=filled, fillcolor=black, label="", width=0.12];`);
      }
      for (const c of n.children) declare(byPath.get(c)!, inner);
      out.push(`${indent}}`);
      return;
    }
    out.push(`${indent}${q(n.path)} [${nodeAttrs(n)}];`);
  };
  for (const n of d.nodes) if (n.parent === '') declare(n, '  ');

  out.push(`  ${q('__start')} -> ${q(anchor(byPath, d.initial))};`);
  for (const n of d.nodes) if (n.initial) out.push(`  ${q(startId(n.path))} -> ${q(anchor(byPath, n.initial))};`);
  for (const e of d.edges) out.push(`  ${edge(byPath, e)}`);
  out.push('}');
  return out.join('\n') + '\n';
}

function nodeAttrs(n: DiagramNode): string {
  const label = q([n.title, ...n.lines].join('\n'));
  switch (n.kind) {
    case 'outcome':
      return `id=${q(n.path)}, peripheries=2, style="rounded,filled,bold", fillcolor=${n.path === 'handoff' ? '"#dbe9f7"' : '"#d9f2d9"'}, fontsize=11, label=${label}`;
    case 'final':
      return `id=${q(n.path)}, peripheries=2, style="rounded,filled", fillcolor="#eeeeee", label=${label}`;
    case 'input':
      return `id=${q(n.path)}, style="rounded,filled,bold", fillcolor="#fff8e1", label=${label}`;
    default:
      return `id=${q(n.path)}, label=${label}`;
  }
}

/** Clusters cannot be edge ends in DOT: an edge at a compound state attaches to its first leaf, clipped at the cluster. */
function anchor(byPath: Map<string, DiagramNode>, path: string): string {
  let n = byPath.get(path)!;
  while (n.children.length) n = byPath.get(n.initial ?? n.children[0]!)!;
  return n.path;
}

function edge(byPath: Map<string, DiagramNode>, e: DiagramEdge): string {
  const attrs: string[] = [];
  if (e.label) attrs.push(`label=${q(e.label)}`);
  const from = byPath.get(e.from)!;
  const to = byPath.get(e.to)!;
  if (from.children.length && !within(byPath, e.to, e.from)) attrs.push(`ltail=${q(clusterId(e.from))}`);
  if (to.children.length && !within(byPath, e.from, e.to)) attrs.push(`lhead=${q(clusterId(e.to))}`);
  if (e.kind === 'hotKey') attrs.push('color="#1565c0"', 'fontcolor="#1565c0"', 'penwidth=1.6');
  else if (e.escalation) attrs.push('color="#c62828"', 'fontcolor="#c62828"');
  else if (e.retry) attrs.push('style=dashed', 'color="#b26a00"', 'fontcolor="#b26a00"');
  else if (e.kind === 'noInput') attrs.push('style=dotted');
  else if (e.kind === 'promptEnd' || e.kind === 'always' || e.kind === 'done') attrs.push('color=gray40', 'fontcolor=gray30');
  return `${q(anchor(byPath, e.from))} -> ${q(anchor(byPath, e.to))}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`;
}

/** Whether `path` is `ancestor` or lies inside it. */
function within(byPath: Map<string, DiagramNode>, path: string, ancestor: string): boolean {
  for (let n = byPath.get(path); n; n = n.parent ? byPath.get(n.parent) : undefined) if (n.path === ancestor) return true;
  return false;
}

const clusterId = (path: string) => `cluster_${path}`;
const startId = (path: string) => `${path}.__start`;

/** A DOT double-quoted string. */
function q(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
