/**
 * The placed graph as an SVG element tree (plain data: tag, attributes, text, children). The
 * webview turns it into DOM nodes with createElementNS / setAttribute / textContent, so no markup
 * is ever parsed and names need no escaping. Pure.
 */

import type { Metrics, Placed, PlacedEdge, PlacedNode, Point } from './layout';

export interface Element {
  tag: string;
  attrs: Record<string, string>;
  children: Element[];
  text?: string;
}

function el(tag: string, attrs: Record<string, string>, children: Element[] = [], text?: string): Element {
  return text === undefined ? { tag, attrs, children } : { tag, attrs, children, text };
}

const n = (v: number): string => String(Math.round(v * 10) / 10);

/** A path through the points: straight segments, corners smoothed with quadratic curves. */
export function pathThrough(points: Point[]): string {
  if (points.length === 0) {
    return '';
  }
  const [first, ...rest] = points;
  let d = `M${n(first.x)},${n(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i];
    const next = rest[i + 1];
    d += ` Q${n(p.x)},${n(p.y)} ${n((p.x + next.x) / 2)},${n((p.y + next.y) / 2)}`;
  }
  const last = rest[rest.length - 1];
  return last ? `${d} L${n(last.x)},${n(last.y)}` : d;
}

function nodeElement(node: PlacedNode, m: Metrics): Element {
  const baseline = (line: number): string => n(m.padding + m.lineHeight * (line + 0.75));
  const texts = [el('text', { class: 'title', x: n(m.padding), y: baseline(0) }, undefined, node.title)];
  if (node.subtitle) {
    texts.push(el('text', { class: 'subtitle', x: n(m.padding), y: baseline(1) }, undefined, node.subtitle));
  }
  return el(
    'g',
    {
      class: node.className,
      transform: `translate(${n(node.x)},${n(node.y)})`,
      'data-id': node.id,
      tabindex: '0',
      role: 'button',
      'aria-label': node.tooltip.split('\n').join(', '),
    },
    [
      el('title', {}, undefined, node.tooltip),
      el('rect', { class: 'box', width: n(node.width), height: n(node.height), rx: '4' }),
      el('rect', { class: 'stripe', width: '4', height: n(node.height), rx: '2' }),
      ...texts,
    ],
  );
}

function edgeElement(edge: PlacedEdge): Element {
  const d = pathThrough(edge.points);
  return el('g', { class: 'edge', 'data-index': String(edge.index) }, [
    el('title', {}, undefined, edge.tooltip),
    el('path', { class: 'edge-hit', d }),
    el('path', { class: 'edge-line', d, 'marker-end': 'url(#arrow)' }),
  ]);
}

export function renderSvg(placed: Placed, m: Metrics): Element {
  const arrow = el(
    'marker',
    { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto' },
    [el('path', { class: 'arrowhead', d: 'M0,0 L10,5 L0,10 z' })],
  );
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: String(placed.width),
      height: String(placed.height),
      viewBox: `0 0 ${placed.width} ${placed.height}`,
      role: 'img',
    },
    [
      el('defs', {}, [arrow]),
      el('g', { class: 'edges' }, placed.edges.map(edgeElement)),
      el('g', { class: 'nodes' }, placed.nodes.map((node) => nodeElement(node, m))),
    ],
  );
}
