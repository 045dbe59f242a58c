/**
 * The draft flow as a diagram drawn in the page (no round trip, so it follows every keystroke):
 * one card per top-level state in columns by how far a call has come, the states of a compound
 * state (the menu) inside its card, a shared sub-flow opened in place on demand, each state with
 * its prompt texts in the chosen language and how long they play. Arrows carry the key, the
 * guard and whether they go back. It pans (drag), zooms (wheel, buttons) and starts at 100 %,
 * where state names are 13 px and prompt texts 12 px whatever the flow's size.
 */
import type { Doc } from './editor-api.js';
import { allStates, eventLabel, guardText, isObj, resolveTarget, says, stateAt, statesObj, transitions, type Obj } from './flow-model.js';
import { durationLabel, promptDuration, promptText, type Language } from './prompt-text.js';

const SVG = 'http://www.w3.org/2000/svg';
const CARD_W = 250;
const GAP_X = 130;
const GAP_Y = 28;
const PAD = 8;
const TEXT_W = CARD_W - 2 * PAD - 12;

interface Line {
  text: string;
  cls: 'title' | 'prompt' | 'meta' | 'toggle';
  size: number;
}
interface Box {
  id: string;
  path: string[];
  x: number;
  y: number;
  w: number;
  h: number;
  lines: Line[];
  children: Box[];
  final: boolean;
  subflow: string | null;
  /** For sub-flow states: the sub-flow document the state lives in, and its path there. */
  inSubflow?: { doc: Doc; path: string[] };
}
interface Edge {
  from: string;
  to: string;
  labels: string[];
  internal: boolean;
}

export interface DiagramInput {
  flow: Doc;
  prompts: Doc | undefined;
  lang: Language;
  subflow: (name: string) => Doc | null;
  /** Sub-flow states (by the including state's id) opened in place. */
  open: ReadonlySet<string>;
}

const lineHeight = (size: number) => Math.round(size * 1.35);

/** Splits text into lines that fit `width` px at `size` px (CJK characters a full em, others about half). */
export function wrap(text: string, width: number, size: number, maxLines = 3): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  let cut = false;
  const cw = (ch: string) => (ch.charCodeAt(0) >= 0x2e80 ? size : ch === ' ' ? size * 0.3 : size * 0.56);
  for (const ch of text) {
    const c = cw(ch);
    if (w + c > width && line) {
      const at = ch !== ' ' && line.includes(' ') && !/[\u2e80-\uffff]$/.test(line) ? line.lastIndexOf(' ') : -1;
      if (at > line.length * 0.5) {
        lines.push(line.slice(0, at));
        line = line.slice(at + 1);
      } else {
        lines.push(line);
        line = '';
      }
      w = Array.from(line).reduce((s, x) => s + cw(x), 0);
      if (lines.length === maxLines) {
        cut = true;
        break;
      }
    }
    if (!(line === '' && ch === ' ')) {
      line += ch;
      w += c;
    }
  }
  if (!cut && line) lines.push(line);
  if (cut) lines[maxLines - 1] = `${lines[maxLines - 1]!.replace(/.$/u, '')}…`;
  return lines;
}

function stateLines(name: string, state: Obj, input: DiagramInput, width: number, isOpen: boolean): Line[] {
  const lines: Line[] = [{ text: name + (state['type'] === 'final' ? '  ◉ end' : ''), cls: 'title', size: 13 }];
  for (const say of says(state)) {
    const ids = say.rotate ?? (say.prompt !== null ? [say.prompt] : []);
    for (const id of ids) {
      const text = promptText(input.prompts, id, input.lang) ?? `(no prompt "${id}")`;
      for (const l of wrap(`${say.rotate ? '↻ ' : ''}${text}`, width, 12)) lines.push({ text: l, cls: 'prompt', size: 12 });
      lines.push({ text: `${id} · ${durationLabel(promptDuration(input.prompts, id, input.lang))}`, cls: 'meta', size: 11 });
    }
  }
  const meta = isObj(state['meta']) ? state['meta'] : {};
  const inp = isObj(meta['input']) ? meta['input'] : null;
  if (inp) lines.push({ text: `waits ${String(inp['timeoutSec'])} s${inp['bargeIn'] === false ? ' · no barge-in' : ''}${inp['hotKeys'] ? ' · hot keys' : ''}`, cls: 'meta', size: 11 });
  if (typeof meta['subflow'] === 'string') lines.push({ text: `${isOpen ? '▾ close' : '▸ open'} sub-flow ${meta['subflow']}`, cls: 'toggle', size: 12 });
  return lines;
}

const linesHeight = (lines: readonly Line[]) => lines.reduce((s, l) => s + lineHeight(l.size), 0);

/** Lays the flow out: boxes with their positions, and the arrows between them. */
export function layout(input: DiagramInput): { cards: Box[]; edges: Edge[]; width: number; height: number } {
  const { flow } = input;
  const top = statesObj(flow) ?? {};
  const cards: Box[] = [];
  const visible = new Map<string, Box>();
  for (const [name, s] of Object.entries(top)) {
    if (!isObj(s)) continue;
    const sub = isObj(s['meta']) && typeof s['meta']['subflow'] === 'string' ? s['meta']['subflow'] : null;
    const isOpen = sub !== null && input.open.has(name);
    const card: Box = { id: name, path: [name], x: 0, y: 0, w: CARD_W, h: 0, lines: stateLines(name, s, input, TEXT_W, isOpen), children: [], final: s['type'] === 'final', subflow: sub };
    let childStates: Array<[string, Obj, Doc | null]> = Object.entries(statesObj(s) ?? {}).filter((e): e is [string, Obj] => isObj(e[1])).map(([n, c]) => [n, c, null]);
    const subDoc = isOpen && sub ? input.subflow(sub) : null;
    if (subDoc) childStates = Object.entries(statesObj(subDoc) ?? {}).filter((e): e is [string, Obj] => isObj(e[1])).map(([n, c]) => [n, c, subDoc]);
    for (const [cn, cs, doc] of childStates) {
      const child: Box = { id: `${name}.${cn}`, path: [name, cn], x: 0, y: 0, w: CARD_W - 2 * PAD, h: 0, lines: stateLines(cn, cs, input, TEXT_W - 2 * PAD, false), children: [], final: cs['type'] === 'final', subflow: null };
      if (doc) child.inSubflow = { doc, path: [cn] };
      child.h = linesHeight(child.lines) + 2 * PAD;
      card.children.push(child);
      visible.set(child.id, child);
    }
    card.h = linesHeight(card.lines) + 2 * PAD + card.children.reduce((s2, c) => s2 + c.h + 6, 0) + (card.children.length ? 2 : 0);
    cards.push(card);
    visible.set(card.id, card);
  }

  // Arrows: every transition, from the box that holds it to the box its target falls in.
  const raw: Edge[] = [];
  const nodeFor = (path: readonly string[]): string | null => {
    for (let n = path.length; n > 0; n--) {
      const id = path.slice(0, n).join('.');
      if (visible.has(id)) return id;
    }
    return null;
  };
  const add = (fromPath: string[], toPath: string[] | null, label: string) => {
    const from = nodeFor(fromPath);
    const to = toPath ? nodeFor(toPath) : null;
    if (from && to) raw.push({ from, to, labels: [label], internal: from.split('.')[0] === to.split('.')[0] });
  };
  for (const s of allStates(flow)) {
    for (const t of transitions(s.state)) {
      for (const b of t.branches) {
        if (!b.target) continue;
        const g = guardText(b.guard);
        add(s.path, resolveTarget(flow, s.path, b.target), `${eventLabel(t.event)}${g ? ` [${g}]` : ''}`);
      }
    }
  }
  for (const card of cards) {
    for (const child of card.children) {
      if (!child.inSubflow) continue;
      const st = stateAt(child.inSubflow.doc, child.inSubflow.path);
      if (!st) continue;
      for (const t of transitions(st)) {
        for (const b of t.branches) {
          if (!b.target) continue;
          const to = resolveTarget(child.inSubflow.doc, child.inSubflow.path, b.target);
          const g = guardText(b.guard);
          add(child.path, to ? [card.id, ...to] : null, `${eventLabel(t.event)}${g ? ` [${g}]` : ''}`);
        }
      }
    }
  }
  const edges = new Map<string, Edge>();
  for (const e of raw) {
    if (e.from === e.to && !e.internal) continue;
    const key = `${e.from}\u0000${e.to}`;
    const seen = edges.get(key);
    if (seen) {
      if (!seen.labels.includes(e.labels[0]!)) seen.labels.push(e.labels[0]!);
    } else edges.set(key, { ...e });
  }

  // Columns: how many steps from the start, over the cards.
  const rank = new Map<string, number>();
  const start = typeof flow['initial'] === 'string' && visible.has(flow['initial']) ? flow['initial'] : cards[0]?.id;
  const cardOf = (id: string) => id.split('.')[0]!;
  if (start) {
    rank.set(start, 0);
    const queue = [start];
    while (queue.length) {
      const c = queue.shift()!;
      for (const e of edges.values()) {
        const a = cardOf(e.from);
        const b = cardOf(e.to);
        if (a === c && !rank.has(b)) {
          rank.set(b, rank.get(c)! + 1);
          queue.push(b);
        }
      }
    }
  }
  const maxRank = Math.max(0, ...rank.values());
  const columns: Box[][] = [];
  for (const card of cards) {
    const r = rank.get(card.id) ?? maxRank + 1;
    (columns[r] ??= []).push(card);
  }
  let height = 0;
  columns.forEach((col, r) => {
    let y = 20;
    for (const card of col) {
      card.x = 20 + r * (CARD_W + GAP_X);
      card.y = y;
      let cy = card.y + PAD + linesHeight(card.lines) + 2;
      for (const child of card.children) {
        child.x = card.x + PAD;
        child.y = cy;
        cy += child.h + 6;
      }
      y += card.h + GAP_Y;
    }
    height = Math.max(height, y);
  });
  const width = 20 + columns.length * (CARD_W + GAP_X);
  return { cards, edges: [...edges.values()], width, height };
}

/** A small filled triangle at (x, y), pointing away from (cx, cy): drawn, not a marker, so the page needs no url() reference. */
function arrowHead(cx: number, cy: number, x: number, y: number): string {
  const len = Math.hypot(x - cx, y - cy) || 1;
  const ux = (x - cx) / len;
  const uy = (y - cy) / len;
  const p = (a: number, b: number) => `${(x - ux * a - uy * b).toFixed(1)},${(y - uy * a + ux * b).toFixed(1)}`;
  return `M${x.toFixed(1)},${y.toFixed(1)} L${p(9, 4)} L${p(9, -4)} z`;
}

/** The point at `t` of a cubic Bézier curve. */
function bezier(t: number, a: [number, number], b: [number, number], c: [number, number], d: [number, number]): [number, number] {
  const u = 1 - t;
  const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t] as const;
  return [w[0] * a[0] + w[1] * b[0] + w[2] * c[0] + w[3] * d[0], w[0] * a[1] + w[1] * b[1] + w[2] * c[1] + w[3] * d[1]];
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

export interface Marks {
  selected: string | null;
  issues: ReadonlyMap<string, 'error' | 'warning'>;
  visited: ReadonlySet<string>;
  current: string | null;
}

/** The diagram in its box: drawing, pan and zoom, clicks on states and on sub-flow toggles. */
export class FlowView {
  private svg: SVGSVGElement | null = null;
  private viewport: SVGGElement | null = null;
  private view = { x: 0, y: 0, k: 1 };
  private size = { width: 0, height: 0 };
  private flowId: string | null = null;
  private boxes = new Map<string, Box>();

  constructor(
    private readonly host: HTMLElement,
    private readonly onSelect: (stateId: string) => void,
    private readonly onToggle: (stateId: string) => void,
  ) {
    host.addEventListener('wheel', (e) => {
      if (!this.svg) return;
      e.preventDefault();
      const r = host.getBoundingClientRect();
      this.zoomAt(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    let drag: { x: number; y: number; vx: number; vy: number; moved: boolean } | null = null;
    host.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vx: this.view.x, vy: this.view.y, moved: false };
    });
    host.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) host.setPointerCapture(e.pointerId);
      drag.moved = true;
      this.view.x = drag.vx + dx;
      this.view.y = drag.vy + dy;
      this.apply();
    });
    const end = (e: PointerEvent) => {
      if (drag?.moved) {
        host.releasePointerCapture(e.pointerId);
        host.classList.add('just-dragged');
        setTimeout(() => host.classList.remove('just-dragged'), 0);
      }
      drag = null;
    };
    host.addEventListener('pointerup', end);
    host.addEventListener('pointercancel', end);
    host.addEventListener('click', (e) => {
      if (host.classList.contains('just-dragged')) return;
      const t = e.target instanceof Element ? e.target : null;
      const toggle = t?.closest('[data-toggle]');
      if (toggle) {
        this.onToggle(toggle.getAttribute('data-toggle') ?? '');
        return;
      }
      const node = t?.closest('g.node');
      if (node) this.onSelect(node.id);
    });
  }

  get zoom(): number {
    return this.view.k;
  }

  render(flowId: string, input: DiagramInput, marks: Marks): void {
    const { cards, edges, width, height } = layout(input);
    if (this.flowId !== flowId) this.view = { x: 0, y: 0, k: 1 };
    this.flowId = flowId;
    this.size = { width, height };
    this.boxes.clear();
    const svg = svgEl('svg', { 'data-flow': flowId, class: 'flow-diagram', role: 'img', 'aria-label': `Flow ${flowId}` });
    const vp = svgEl('g', { class: 'viewport' });
    svg.append(vp);
    const edgeLayer = svgEl('g', { class: 'edges' });
    const nodeLayer = svgEl('g', { class: 'nodes' });
    const labelLayer = svgEl('g', { class: 'edge-labels' });
    vp.append(edgeLayer, nodeLayer, labelLayer);

    const drawBox = (b: Box, parent: SVGGElement, card: boolean) => {
      const cls = ['node', card ? 'card' : 'child'];
      if (b.final) cls.push('final');
      if (b.children.length) cls.push('compound');
      if (marks.selected === b.id) cls.push('selected');
      const issue = marks.issues.get(b.id);
      if (issue) cls.push(issue === 'error' ? 'has-error' : 'has-warning');
      if (marks.visited.has(b.id)) cls.push('visited');
      if (marks.current === b.id) cls.push('current');
      const g = svgEl('g', { id: b.id, class: cls.join(' '), 'data-state': b.id });
      g.append(svgEl('rect', { x: b.x, y: b.y, width: b.w, height: b.h, rx: card ? 8 : 5 }));
      let y = b.y + PAD;
      for (const l of b.lines) {
        y += lineHeight(l.size);
        const t = svgEl('text', { x: b.x + PAD, y: y - 4, class: l.cls, 'font-size': l.size }, l.text);
        if (l.cls === 'toggle') t.setAttribute('data-toggle', b.id);
        g.append(t);
      }
      if (issue) g.append(svgEl('text', { x: b.x + b.w - 8, y: b.y + 17, class: `issue-mark ${issue}`, 'text-anchor': 'end', 'font-size': 14 }, issue === 'error' ? '✖' : '⚠'));
      parent.append(g);
      this.boxes.set(b.id, b);
      for (const c of b.children) drawBox(c, g, false);
    };
    for (const c of cards) drawBox(c, nodeLayer, true);

    // Ports: outgoing arrows spread down the right side, incoming down the left, in the order of the other end.
    const outs = new Map<string, Edge[]>();
    const ins = new Map<string, Edge[]>();
    for (const e of edges) {
      (outs.get(e.from) ?? outs.set(e.from, []).get(e.from)!).push(e);
      (ins.get(e.to) ?? ins.set(e.to, []).get(e.to)!).push(e);
    }
    const cy = (id: string) => {
      const b = this.boxes.get(id)!;
      return b.y + b.h / 2;
    };
    for (const list of outs.values()) list.sort((a, b) => cy(a.to) - cy(b.to));
    for (const list of ins.values()) list.sort((a, b) => cy(a.from) - cy(b.from));
    const port = (list: Edge[], e: Edge, b: Box) => b.y + Math.min(b.h - 6, 14 + ((b.h - 20) * (list.indexOf(e) + 1)) / (list.length + 1));
    for (const e of edges) {
      const a = this.boxes.get(e.from)!;
      const b = this.boxes.get(e.to)!;
      const sy = port(outs.get(e.from)!, e, a);
      const ey = port(ins.get(e.to)!, e, b);
      let d: string;
      /** The curve's last control point and its end: the arrowhead points along them. */
      let tip: [number, number, number, number];
      let lx: number;
      let ly: number;
      let back = false;
      if (e.internal) {
        const x = a.x + a.w;
        const bulge = 36;
        d = `M${x},${sy} C${x + bulge},${sy} ${b.x + b.w + bulge},${ey} ${b.x + b.w},${ey}`;
        tip = [b.x + b.w + bulge, ey, b.x + b.w, ey];
        lx = Math.max(x, b.x + b.w) + bulge * 0.75;
        ly = (sy + ey) / 2;
      } else if (b.x > a.x) {
        const sx = a.x + a.w;
        const ex = b.x;
        const dx = (ex - sx) / 2;
        d = `M${sx},${sy} C${sx + dx},${sy} ${ex - dx},${ey} ${ex},${ey}`;
        tip = [ex - dx, ey, ex, ey];
        // The label near where the arrow leaves: arrows fan out from their ports there, and crowd where they arrive.
        [lx, ly] = bezier(0.3, [sx, sy], [sx + dx, sy], [ex - dx, ey], [ex, ey]);
        ly -= 3;
      } else {
        back = true;
        const sx = a.x;
        const ex = b.x + b.w;
        d = `M${sx},${sy} C${sx - 70},${sy} ${ex + 70},${ey} ${ex},${ey}`;
        tip = [ex + 70, ey, ex, ey];
        lx = (sx + ex) / 2;
        ly = (sy + ey) / 2;
      }
      const cls = `edge${back ? ' back' : ''}${e.internal ? ' internal' : ''}`;
      edgeLayer.append(svgEl('path', { d, class: cls, 'data-from': e.from, 'data-to': e.to }), svgEl('path', { d: arrowHead(...tip), class: 'arrow-head' }));
      const label = e.labels.join(', ');
      labelLayer.append(svgEl('text', { x: lx, y: ly + 4, class: `edge-label${back ? ' back' : ''}`, 'text-anchor': 'middle', 'font-size': 11 }, label.length > 48 ? `${label.slice(0, 47)}…` : label));
    }

    this.svg = svg;
    this.viewport = vp;
    this.host.replaceChildren(svg);
    this.apply();
  }

  private apply(): void {
    this.viewport?.setAttribute('transform', `translate(${this.view.x.toFixed(1)},${this.view.y.toFixed(1)}) scale(${this.view.k.toFixed(4)})`);
    this.svg?.setAttribute('data-zoom', this.view.k.toFixed(2));
  }

  zoomAt(factor: number, px: number, py: number): void {
    const k = Math.min(3, Math.max(0.2, this.view.k * factor));
    const f = k / this.view.k;
    this.view.x = px - (px - this.view.x) * f;
    this.view.y = py - (py - this.view.y) * f;
    this.view.k = k;
    this.apply();
  }

  zoomBy(factor: number): void {
    const r = this.host.getBoundingClientRect();
    this.zoomAt(factor, r.width / 2, r.height / 2);
  }

  reset(): void {
    this.view = { x: 0, y: 0, k: 1 };
    this.apply();
  }

  fit(): void {
    const r = this.host.getBoundingClientRect();
    const k = Math.min(1, (r.width - 10) / this.size.width, (r.height - 10) / this.size.height);
    this.view = { x: 5, y: 5, k };
    this.apply();
  }

  /** Pans so the state is in view (when it is not already). */
  reveal(id: string): void {
    const b = this.boxes.get(id);
    if (!b) return;
    const r = this.host.getBoundingClientRect();
    const { x, y, k } = this.view;
    const left = x + b.x * k;
    const topY = y + b.y * k;
    if (left >= 0 && topY >= 0 && left + b.w * k <= r.width && topY + Math.min(b.h, 120) * k <= r.height) return;
    this.view.x = r.width / 2 - (b.x + b.w / 2) * k;
    this.view.y = Math.min(20, r.height / 3 - b.y * k);
    this.apply();
  }
}
