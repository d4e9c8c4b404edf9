/**
 * Node positions and edge routes from dagre (@dagrejs/dagre, layered layout). Pure: text is
 * measured by the function passed in (the webview measures with its font, tests with a fixed
 * width per character).
 */

import { Graph, layout } from '@dagrejs/dagre';

import type { Direction } from './messages';
import type { ViewEdge, ViewGraph, ViewNode } from './model';

export interface Point {
  x: number;
  y: number;
}

export interface PlacedNode extends ViewNode {
  /** Top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedEdge extends ViewEdge {
  points: Point[];
}

export interface Placed {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export interface Metrics {
  /** Width of a line of text in px (`bold` for the title line). */
  measure(text: string, bold: boolean): number;
  lineHeight: number;
  padding: number;
  minWidth: number;
}

export const MARGIN = 16;

export function nodeSize(node: ViewNode, m: Metrics): { width: number; height: number } {
  const lines = node.subtitle ? 2 : 1;
  const text = Math.max(m.measure(node.title, true), node.subtitle ? m.measure(node.subtitle, false) : 0);
  return {
    width: Math.ceil(Math.max(m.minWidth, text + 2 * m.padding)),
    height: Math.ceil(lines * m.lineHeight + 2 * m.padding),
  };
}

export function placeGraph(view: ViewGraph, m: Metrics, direction: Direction = 'TB'): Placed {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: direction, nodesep: 24, ranksep: 48, edgesep: 12, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of view.nodes) {
    g.setNode(node.id, { ...nodeSize(node, m) });
  }
  for (const edge of view.edges) {
    g.setEdge(edge.source, edge.target, {}, String(edge.index));
  }
  layout(g);
  const nodes = view.nodes.map((node): PlacedNode => {
    const { x, y, width, height } = g.node(node.id) as { x: number; y: number; width: number; height: number };
    return { ...node, x: x - width / 2, y: y - height / 2, width, height };
  });
  const edges = view.edges.map((edge): PlacedEdge => {
    const label = g.edge({ v: edge.source, w: edge.target, name: String(edge.index) }) as { points?: Point[] };
    return { ...edge, points: (label.points ?? []).map(({ x, y }) => ({ x, y })) };
  });
  return { ...extent(nodes, edges), nodes, edges };
}

/** The drawing's size: every node and edge point, plus the margin (dagre's own leaves out self-loops). */
function extent(nodes: PlacedNode[], edges: PlacedEdge[]): { width: number; height: number } {
  let width = 0;
  let height = 0;
  for (const n of nodes) {
    width = Math.max(width, n.x + n.width);
    height = Math.max(height, n.y + n.height);
  }
  for (const p of edges.flatMap((e) => e.points)) {
    width = Math.max(width, p.x);
    height = Math.max(height, p.y);
  }
  return { width: Math.ceil(width + MARGIN), height: Math.ceil(height + MARGIN) };
}
