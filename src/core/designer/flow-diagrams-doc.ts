import { basename } from 'node:path';
import type { Configuration } from '../configuration/configuration.js';
import type { LoadedFlow } from '../flows/flow-loader.js';
import type { SegmentParams } from '../rules/rule-files.js';
import { flowDiagram } from './flow-diagram.js';
import { toMermaid } from './mermaid-diagram.js';

/** The command that writes docs/flow-diagrams.md. */
export const FLOW_DIAGRAMS_COMMAND = 'npx ivr-sim graph --all --out docs/flow-diagrams.md';

/**
 * docs/flow-diagrams.md: one Mermaid diagram per segment flow, highest segment first. Generated
 * from the flows, never edited by hand; a test compares it with what the flows give today.
 */
export function flowDiagramsMarkdown(config: Configuration): string {
  const lines: string[] = [
    '# Flow diagrams',
    '',
    'One diagram per segment flow, drawn by `ivr-sim graph` from the machine the engine runs: the shared',
    'self-diagnosis sub-flow inlined, hot keys expanded. GitHub renders the Mermaid blocks.',
    '',
    `**Generated — do not edit.** After changing a flow or the sub-flow, regenerate with \`${FLOW_DIAGRAMS_COMMAND}\`;`,
    '`tests/designer/flow-diagrams-doc.test.ts` fails while this file is out of date.',
    '',
    'How to read them:',
    '',
    '- A box is a state: the prompt ids it **says**, and **waits N s** when it waits for a key (yellow).',
    '- An arrow is a transition, labelled by what causes it: a key (`1`), `other key` (any key the state does not offer),',
    '  `no input` (the wait timed out), `prompt ends`, `done` (the sub-flow ended), `hot 0` (a hot key).',
    '- `[retries < 2]` is a guard (`[else]`: when the guards before it fail); `/ retry` counts a retry, `/ escalate` hands',
    '  the call to an agent because retries ran out.',
    '- The green states are how a call ends: `selfServed` or `handoff` (queued for an agent). Grey states are the',
    "  sub-flow's own endings; the flow's `done` arrows decide what follows from the result.",
    '',
  ];
  for (const flow of flowsInSegmentOrder(config)) {
    const hot = flow.source.meta.hotKeys ?? [];
    lines.push(`## ${flow.source.meta.title ?? flow.id} — \`${flow.id}\``, '');
    lines.push(`Segment \`${flow.segment}\`, file \`flows/${basename(flow.file)}\`.`);
    const where = flow.tree.states().filter((s) => s.config.meta?.input?.hotKeys).map((s) => `\`${s.path}\``);
    if (hot.length && where.length) {
      lines.push(`Hot keys, active in ${where.join(', ')}: ${hot.map((h) => `\`${h.key}\` → ${h.target}${h.label ? ` (${h.label})` : ''}`).join(', ')}.`);
    }
    lines.push('', '```mermaid', toMermaid(flowDiagram(flow)).trimEnd(), '```', '');
  }
  return lines.join('\n');
}

/** Segment flows by segmentation precedence (the rule that wins first), the default segment last. */
function flowsInSegmentOrder(config: Configuration): LoadedFlow[] {
  const segments = config.rules.segments;
  const order = segments.precedence.map((i) => (segments.doc.rules[i]!.event.params as unknown as SegmentParams).segment);
  order.push(config.rules.segmentDefault.segment);
  const out: LoadedFlow[] = [];
  for (const seg of order) {
    const f = config.flows.bySegment.get(seg);
    if (f && !out.includes(f)) out.push(f);
  }
  for (const f of config.flows.flows.values()) if (!out.includes(f)) out.push(f);
  return out;
}
