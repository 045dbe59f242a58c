import { instance } from '@viz-js/viz';
import { NamedError } from '../errors/named-error.js';

/**
 * Renders DOT to SVG with Graphviz compiled to WebAssembly (@viz-js/viz): no network, no
 * browser, no Graphviz install. The WebAssembly module is instantiated once per process.
 */
let viz: ReturnType<typeof instance> | undefined;

export class DiagramRenderError extends NamedError {
  readonly code = 'DIAGRAM_RENDER';
  override readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = 'DiagramRenderError';
  }
}

export async function renderSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new DiagramRenderError(`Graphviz could not render the diagram: ${result.errors.map((e) => e.message).join('; ')}`);
  }
  return result.output;
}
