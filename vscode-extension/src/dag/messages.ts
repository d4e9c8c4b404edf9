/**
 * What crosses the DAG view's boundaries, checked on arrival: the server's `stepcat.dagGraph`
 * answer (normalised leniently), the extension's messages to the webview and the webview's
 * messages back (anything else is dropped). Pure: shared by the extension and the webview script.
 */

import type { DagEdge, DagGraph, DagNode, Location } from '../protocol';
import { NormaliseUri, isObject, location, oneOf, problemCounts, stringOrNull, strings } from '../shapes';

export const NODE_STATUSES = ['complete', 'incomplete', 'unknown', 'error'] as const;
export type Direction = 'TB' | 'LR';

/** Extension -> webview: a graph to draw, or a notice instead of one (no DAG, server down...). */
export type ToWebview =
  | { type: 'graph'; graph: DagGraph; file: string }
  | { type: 'notice'; text: string }
  | { type: 'select'; id: string | null };

/** Webview -> extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'openNode'; id: string }
  | { type: 'openEdge'; index: number };

function node(value: unknown, normalise: NormaliseUri): DagNode | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id.length === 0) {
    return undefined;
  }
  return {
    id: value.id,
    step: stringOrNull(value.step),
    jobType: stringOrNull(value.jobType),
    status: oneOf(value.status, NODE_STATUSES, 'unknown'),
    problems: problemCounts(value.problems),
    workspace: stringOrNull(value.workspace),
    location: location(value.location, normalise),
    definition: location(value.definition, normalise),
    variant: stringOrNull(value.variant),
  };
}

function edge(value: unknown, normalise: NormaliseUri): DagEdge | undefined {
  if (!isObject(value) || typeof value.source !== 'string' || typeof value.target !== 'string') {
    return undefined;
  }
  return { source: value.source, target: value.target, location: location(value.location, normalise) };
}

/**
 * The server's answer as a graph: null when it says there is no DAG, undefined when it is not a
 * graph at all. Nodes without an id and edges without both ends are dropped; a repeated node id
 * keeps its first occurrence. Every URI goes through `normalise` (the editor's spelling).
 */
export function parseDagGraph(value: unknown, normalise: NormaliseUri = (uri) => uri): DagGraph | null | undefined {
  if (value === null) {
    return null;
  }
  if (!isObject(value) || typeof value.uri !== 'string' || !Array.isArray(value.nodes)) {
    return undefined;
  }
  const seen = new Set<string>();
  const nodes: DagNode[] = [];
  for (const raw of value.nodes) {
    const n = node(raw, normalise);
    if (n !== undefined && !seen.has(n.id)) {
      seen.add(n.id);
      nodes.push(n);
    }
  }
  const edges = Array.isArray(value.edges)
    ? value.edges.map((e) => edge(e, normalise)).filter((e): e is DagEdge => e !== undefined)
    : [];
  return {
    uri: normalise(value.uri),
    name: typeof value.name === 'string' ? value.name : '',
    nodes,
    edges,
    problems: strings(value.problems),
  };
}

export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (value.type === 'ready') {
    return { type: 'ready' };
  }
  if (value.type === 'openNode' && typeof value.id === 'string') {
    return { type: 'openNode', id: value.id };
  }
  if (value.type === 'openEdge' && Number.isInteger(value.index) && (value.index as number) >= 0) {
    return { type: 'openEdge', index: value.index as number };
  }
  return undefined;
}

export function parseToWebview(value: unknown): ToWebview | undefined {
  if (!isObject(value)) {
    return undefined;
  }
  if (value.type === 'graph' && typeof value.file === 'string') {
    const graph = parseDagGraph(value.graph);
    return graph ? { type: 'graph', graph, file: value.file } : undefined;
  }
  if (value.type === 'notice' && typeof value.text === 'string') {
    return { type: 'notice', text: value.text };
  }
  if (value.type === 'select' && (typeof value.id === 'string' || value.id === null)) {
    return { type: 'select', id: value.id };
  }
  return undefined;
}

/**
 * Where a click leads: on a node, its definition, else where its name is written; on an edge,
 * where the edge is written. Null when there is nothing to open.
 */
export function clickTarget(graph: DagGraph, message: FromWebview): Location | null {
  if (message.type === 'openNode') {
    const found = graph.nodes.find((n) => n.id === message.id);
    return found ? (found.definition ?? found.location) : null;
  }
  if (message.type === 'openEdge') {
    return graph.edges[message.index]?.location ?? null;
  }
  return null;
}

/** The node whose name is written at (line, character) of `uri`, for highlighting it. */
export function nodeAt(graph: DagGraph, uri: string, line: number, character: number): string | null {
  for (const n of graph.nodes) {
    const loc = n.location;
    if (loc === null || loc.uri !== uri) {
      continue;
    }
    const { start, end } = loc.range;
    const afterStart = line > start.line || (line === start.line && character >= start.character);
    const beforeEnd = line < end.line || (line === end.line && character <= end.character);
    if (afterStart && beforeEnd) {
      return n.id;
    }
  }
  return null;
}
