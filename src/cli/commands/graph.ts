import type { Command } from 'commander';
import { loadConfiguration, type Configuration } from '../../core/configuration/configuration.js';
import { toDot } from '../../core/designer/dot-diagram.js';
import { flowDiagram } from '../../core/designer/flow-diagram.js';
import { flowDiagramsMarkdown } from '../../core/designer/flow-diagrams-doc.js';
import { toMermaid } from '../../core/designer/mermaid-diagram.js';
import { renderSvg } from '../../core/designer/svg-render.js';
import type { LoadedFlow } from '../../core/flows/flow-loader.js';
import { UsageError } from '../cli-error.js';
import type { CliIO } from '../cli-io.js';
import { configPaths, withConfigOptions, type ConfigFlags } from '../config-options.js';
import { checkOutputPath, writeOutputs } from '../output-path.js';

interface GraphFlags extends ConfigFlags {
  format: string;
  out?: string;
  all?: boolean;
}

const FORMATS = ['mermaid', 'dot', 'svg'] as const;

/** The flow a FLOW argument names: a flow id or a segment. */
export function resolveFlow(config: Configuration, name: string): LoadedFlow {
  const flow = config.flows.flows.get(name) ?? config.flows.bySegment.get(name);
  if (!flow) throw new UsageError(`no flow or segment "${name}"; flows: ${[...config.flows.flows.keys()].join(', ')}`);
  return flow;
}

export function registerGraphCommand(program: Command, io: CliIO): void {
  withConfigOptions(
    program
      .command('graph')
      .argument('[flow]', 'flow id or segment, e.g. vip-diamond')
      .description('draw a flow as the engine runs it: states, sub-flow, transitions with keys and guards, hot keys, waits, prompts, outcomes')
      .option('--format <format>', `${FORMATS.join(', ')} (svg: Graphviz, rendered offline)`, 'mermaid')
      .option('--out <file>', 'write to this file instead of standard output')
      .option('--all', 'every segment flow as one Markdown document of Mermaid diagrams (what docs/flow-diagrams.md holds)'),
  ).action(async (name: string | undefined, flags: GraphFlags) => {
    if (!(FORMATS as readonly string[]).includes(flags.format)) throw new UsageError(`--format ${flags.format}: expected ${FORMATS.join(', ')}`);
    if (flags.all && flags.format !== 'mermaid') throw new UsageError('--all writes Mermaid diagrams in Markdown; leave out --format or use --format mermaid');
    if (flags.all && name !== undefined) throw new UsageError('give a flow or --all, not both');
    if (!flags.all && name === undefined) throw new UsageError('graph needs a flow (e.g. vip-diamond) or --all');
    const out = flags.out === undefined ? undefined : checkOutputPath('--out', flags.out, 'file');
    const config = loadConfiguration(configPaths(flags));
    let text: string;
    if (flags.all) text = flowDiagramsMarkdown(config);
    else {
      const diagram = flowDiagram(resolveFlow(config, name!));
      text = flags.format === 'mermaid' ? toMermaid(diagram) : flags.format === 'dot' ? toDot(diagram) : await renderSvg(toDot(diagram));
    }
    if (out) {
      writeOutputs(io, [{ file: out, text }], text);
      io.out(`wrote ${flags.out}\n`);
    } else io.out(text);
  });
}
