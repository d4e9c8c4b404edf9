/**
 * A DAG answer turned into what the layout and the drawing need: per node its lines of text,
 * CSS class and tooltip; edges whose ends are declared nodes, and placeholder nodes for ends that
 * are not (the server reports those as problems; the view still shows the edge). Pure.
 */

import { problemSummary } from '../presentation';
import type { DagGraph, DagNode, ProblemCounts } from '../protocol';
import { NODE_STATUSES } from './messages';

export interface ViewNode {
  id: string;
  title: string;
  /** The second line: job type, the step when the name does not start with it, problem marks. */
  subtitle: string;
  className: string;
  tooltip: string;
  /** True for an edge end that no node declares. */
  placeholder: boolean;
}

export interface ViewEdge {
  source: string;
  target: string;
  /** Index into the answer's edges (what a click on the edge opens). */
  index: number;
  tooltip: string;
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

/** `status-complete`, ...; anything unexpected is drawn as unknown. */
export function statusClass(status: string): string {
  return `status-${(NODE_STATUSES as readonly string[]).includes(status) ? status : 'unknown'}`;
}

/** Short problem marks for the node's second line: `✖1 ⚠2` (information and hints left out). */
export function problemMarks(p: ProblemCounts): string {
  return [p.error ? `✖${p.error}` : '', p.warning ? `⚠${p.warning}` : ''].filter((s) => s).join(' ');
}

const STATUS_WORDS: Record<DagNode['status'], string> = {
  complete: 'complete',
  incomplete: 'incomplete (components missing)',
  unknown: 'unknown step',
  error: 'has errors',
};

function subtitle(n: DagNode): string {
  const parts = [
    n.jobType ?? '',
    n.step !== null && !n.id.startsWith(n.step) ? n.step : '',
    n.step === null ? 'unknown step' : '',
    problemMarks(n.problems),
  ];
  return parts.filter((p) => p.length > 0).join(' · ');
}

export function nodeTooltip(n: DagNode): string {
  const step = n.step === null ? 'unknown step' : `step ${n.step}${n.jobType ? `, job type ${n.jobType}` : ''}`;
  return [
    n.id,
    step,
    `workspace: ${n.workspace ?? '—'}`,
    n.variant ? `spec: ${n.variant}` : '',
    `status: ${STATUS_WORDS[n.status] ?? n.status}`,
    `problems: ${problemSummary(n.problems)}`,
    n.definition || n.location ? `click to open ${n.definition ? 'its definition' : 'where it is written'}` : '',
  ]
    .filter((line) => line.length > 0)
    .join('\n');
}

function viewNode(n: DagNode): ViewNode {
  return {
    id: n.id,
    title: n.id,
    subtitle: subtitle(n),
    className: `node ${statusClass(n.status)}`,
    tooltip: nodeTooltip(n),
    placeholder: false,
  };
}

function placeholder(id: string): ViewNode {
  return {
    id,
    title: id,
    subtitle: 'not declared as a node',
    className: 'node status-unknown placeholder',
    tooltip: `${id}\nused in an edge but not declared as a node`,
    placeholder: true,
  };
}

export function toViewGraph(graph: DagGraph): ViewGraph {
  const nodes = graph.nodes.map(viewNode);
  const known = new Set(nodes.map((n) => n.id));
  const edges: ViewEdge[] = [];
  graph.edges.forEach((e, index) => {
    for (const end of [e.source, e.target]) {
      if (!known.has(end)) {
        known.add(end);
        nodes.push(placeholder(end));
      }
    }
    edges.push({ source: e.source, target: e.target, index, tooltip: `${e.source} → ${e.target}` });
  });
  return { nodes, edges };
}
