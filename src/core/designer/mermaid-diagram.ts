import type { DiagramNode, FlowDiagram } from './flow-diagram.js';

/**
 * A flow as a Mermaid `stateDiagram-v2`, as GitHub renders it in Markdown.
 *
 * Written with the plainest constructs of Mermaid's state grammar, because its lexer is easy to
 * trip: ids may not contain '-', '.', ':' or spaces, or start with a keyword ("default", "state",
 * "note", "class"…); labels and descriptions end at ':' or ';'. Every state is declared inside its
 * composite first and every transition is written at the top level afterwards, so that a
 * transition never moves a state into another composite.
 */
export function toMermaid(d: FlowDiagram): string {
  const byPath = new Map(d.nodes.map((n) => [n.path, n]));
  const out: string[] = ['stateDiagram-v2'];
  const declare = (n: DiagramNode, indent: string) => {
    const id = mermaidId(n.path);
    if (n.children.length) {
      out.push(`${indent}state ${id} {`);
      const inner = indent + '  ';
      if (n.initial) {
        const note = n.kind === 'subflow' ? ` : ${text(n.title.slice(n.title.indexOf('·') + 1).trim())}` : '';
        out.push(`${inner}[*] --> ${mermaidId(n.initial)}${note}`);
      }
      for (const c of n.children) declare(byPath.get(c)!, inner);
      for (const c of n.children) if (byPath.get(c)!.kind === 'final') out.push(`${inner}${mermaidId(c)} --> [*]`);
      out.push(`${indent}}`);
      return;
    }
    out.push(`${indent}state "${text(n.title).replace(/"/g, "'")}" as ${id}`);
    for (const line of n.lines) out.push(`${indent}${id} : ${text(line)}`);
  };
  out.push(`  [*] --> ${mermaidId(d.initial)}`);
  for (const n of d.nodes) if (n.parent === '') declare(n, '  ');
  for (const e of d.edges) out.push(`  ${mermaidId(e.from)} --> ${mermaidId(e.to)}${e.label ? ` : ${text(e.label)}` : ''}`);
  const outcomes = d.nodes.filter((n) => n.kind === 'outcome');
  for (const n of outcomes) out.push(`  ${mermaidId(n.path)} --> [*]`);

  out.push(
    '  classDef outcome fill:#d9f2d9,stroke:#2e7d32,stroke-width:2px,font-weight:bold',
    '  classDef waits fill:#fff8e1,stroke:#b08800',
    '  classDef subflowEnd fill:#eeeeee,stroke:#777777',
  );
  const classOf = (kind: DiagramNode['kind'], cls: string) => {
    const ids = d.nodes.filter((n) => n.kind === kind).map((n) => mermaidId(n.path));
    if (ids.length) out.push(`  class ${ids.join(',')} ${cls}`);
  };
  classOf('outcome', 'outcome');
  classOf('input', 'waits');
  classOf('final', 'subflowEnd');
  return out.join('\n') + '\n';
}

const KEYWORD_START = /^(default|state|note|class|direction|scale|hide|acc|end|stateDiagram)/i;

/** A state path as a Mermaid id: `diagnosis.symptom` → `diagnosis__symptom`. */
export function mermaidId(path: string): string {
  const id = path.replace(/\./g, '__').replace(/[^A-Za-z0-9_]/g, '_');
  return KEYWORD_START.test(id) ? `s_${id}` : id;
}

/** Label text Mermaid's lexer reads to the end: no ':' ';' or line breaks. */
function text(s: string): string {
  return s.replace(/[:;]/g, ' ').replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ').trim();
}
