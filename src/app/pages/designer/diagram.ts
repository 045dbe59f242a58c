import { el } from '../shared/dom.js';
import type { TryAnswer } from './payloads.js';

/**
 * The flow's diagram, drawn by the service (GET /designer/flows/:id/diagram.svg) and parsed
 * here as SVG: it is inert under the page's Content-Security-Policy. The states the walked call
 * went through are marked, and the one it is in is scrolled into view.
 */
export class Diagram {
  /** The flow shown, or being fetched. */
  flow: string | null = null;

  constructor(
    private readonly box: HTMLElement,
    private readonly fetchSvg: (flowId: string) => Promise<string>,
  ) {}

  async show(flowId: string, walked: TryAnswer | null): Promise<void> {
    this.flow = flowId;
    this.box.replaceChildren(el('p', { className: 'muted', text: `Drawing ${flowId}…` }));
    try {
      const text = await this.fetchSvg(flowId);
      if (this.flow !== flowId) return;
      const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
      if (svg.nodeName !== 'svg') throw new Error('the diagram is not SVG');
      svg.setAttribute('data-flow', flowId);
      this.box.replaceChildren(document.importNode(svg, true));
      this.mark(walked);
    } catch (err) {
      this.box.replaceChildren(el('p', { className: 'error-text', text: `No diagram: ${(err as Error).message}` }));
    }
  }

  mark(walked: TryAnswer | null): void {
    const svg = this.box.querySelector('svg');
    if (!svg) return;
    for (const g of svg.querySelectorAll('g.node.visited, g.node.current')) g.classList.remove('visited', 'current');
    if (!walked || svg.getAttribute('data-flow') !== walked.decision.flow.id) return;
    const nodes = new Map<string, SVGGElement>();
    for (const g of svg.querySelectorAll<SVGGElement>('g.node')) nodes.set(g.id, g);
    for (const e of (walked.decision.transcript ?? []).slice(0, walked.walk.heard)) nodes.get(e.state)?.classList.add('visited');
    const at = nodes.get(walked.walk.waitingIn ?? walked.decision.flow.finalState);
    if (at) {
      at.classList.add('current');
      this.centre(at);
    }
  }

  /** Scrolls the diagram (not the page) so the state the call is in is in view. */
  private centre(node: Element): void {
    const box = this.box.getBoundingClientRect();
    const n = node.getBoundingClientRect();
    this.box.scrollLeft += n.left + n.width / 2 - (box.left + box.width / 2);
    this.box.scrollTop += n.top + n.height / 2 - (box.top + box.height / 2);
  }
}
