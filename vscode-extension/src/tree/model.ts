/**
 * The Steps view's tree from `stepcat.stepTree`: workspaces -> steps -> components, with the
 * texts, icons and context values VS Code shows, and an index from a file to the steps it is part
 * of (for reveal-on-open). Pure: icons are codicon ids and theme colour ids.
 */

import { problemSummary } from '../presentation';
import type { ComponentRow, Location, ProblemCounts, TreeComponent, TreeStep, TreeWorkspace } from '../protocol';

export interface Icon {
  id: string;
  color?: string;
}

export interface TreeNode {
  kind: 'workspace' | 'step' | 'component';
  id: string;
  label: string;
  description: string;
  tooltip: string;
  icon: Icon;
  /** `workspace`, `workspace.readOnly`, `step`, `step.readOnly`, `component`, `component.missing`. */
  contextValue: string;
  expanded: boolean;
  location: Location | null;
  /** A component's file (VS Code then shows its file icon and problem decorations). */
  resourceUri?: string;
  parent: TreeNode | undefined;
  children: TreeNode[];
  /** The step's components as Go to Component... rows (steps only). */
  components?: ComponentRow[];
}

const ERROR: Icon = { id: 'error', color: 'problemsErrorIcon.foreground' };
const WARNING: Icon = { id: 'warning', color: 'problemsWarningIcon.foreground' };
const INFO: Icon = { id: 'info', color: 'problemsInfoIcon.foreground' };
const COMPLETE: Icon = { id: 'pass', color: 'testing.iconPassed' };
const INCOMPLETE: Icon = { id: 'circle-large-outline', color: 'problemsWarningIcon.foreground' };

const KINDS: Record<TreeWorkspace['kind'], { word: string; icon: string }> = {
  shared: { word: 'shared', icon: 'repo' },
  developer: { word: 'developer', icon: 'person' },
  package: { word: 'installed package', icon: 'package' },
  pack: { word: 'step pack', icon: 'archive' },
};

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `2 errors, 1 warning`, or '' when there are none. */
export function problemText(p: ProblemCounts): string {
  return p.error + p.warning + p.information + p.hint > 0 ? problemSummary(p) : '';
}

/** The step's icon: its worst problem, else incomplete, else complete. */
export function stepIcon(step: Pick<TreeStep, 'problems' | 'complete'>): Icon {
  const p = step.problems;
  if (p.error > 0 || p.warning > 0) {
    return p.error > 0 ? ERROR : WARNING;
  }
  if (!step.complete) {
    return INCOMPLETE;
  }
  return p.information + p.hint > 0 ? INFO : COMPLETE;
}

export function fileName(uri: string): string {
  const path = uri.split(/[?#]/)[0];
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path.slice(path.lastIndexOf('/') + 1);
  }
}

/** The SageMaker step type, unless it only repeats the name (`CradleDataLoading`). */
function stepType(step: TreeStep): string {
  return step.sagemakerStepType && step.sagemakerStepType !== step.name ? step.sagemakerStepType : '';
}

/** The missing required components of a step, e.g. `contract, spec`. */
export function missingComponents(step: TreeStep): string[] {
  return step.components.filter((c) => !c.present && c.required).map((c) => c.label);
}

function componentNode(c: TreeComponent, step: TreeStep, parent: TreeNode, id: string): TreeNode {
  const missing = !c.present || c.location === null;
  const state = missing ? (c.required ? 'missing' : 'not present') : fileName(c.location?.uri ?? '');
  const description = [state, c.note ?? ''].filter((s) => s).join(' · ');
  return {
    kind: 'component',
    id,
    label: c.label,
    description,
    tooltip: `${c.label} of ${step.name}: ${missing ? description : (c.location?.uri ?? '')}`,
    icon: missing ? (c.required ? WARNING : { id: 'circle-slash', color: 'disabledForeground' }) : { id: 'file' },
    contextValue: missing ? 'component.missing' : 'component',
    expanded: false,
    location: missing ? null : c.location,
    ...(missing || c.location === null ? {} : { resourceUri: c.location.uri }),
    parent,
    children: [],
  };
}

function stepNode(step: TreeStep, ws: TreeWorkspace, parent: TreeNode, id: string, unique: (id: string) => string): TreeNode {
  const missing = missingComponents(step);
  const problems = problemText(step.problems);
  const node: TreeNode = {
    kind: 'step',
    id,
    label: step.name,
    description: problems || (missing.length > 0 ? `missing ${missing.join(', ')}` : stepType(step)),
    tooltip: [
      `${step.name}${step.sagemakerStepType ? ` · ${step.sagemakerStepType}` : ''} · workspace ${ws.id}`,
      step.layout === 'interface' ? 'interface-first step (.step.yaml)' : '1.x step (Python components)',
      step.variants.length > 0 ? `variants: ${step.variants.join(', ')}` : '',
      missing.length > 0 ? `missing: ${missing.join(', ')}` : 'complete',
      `problems: ${problems || 'none'}`,
    ].filter((s) => s).join('\n'),
    icon: stepIcon(step),
    contextValue: ws.readOnly ? 'step.readOnly' : 'step',
    expanded: false,
    location: step.location,
    parent,
    children: [],
    components: step.components
      .filter((c) => c.present && c.location !== null)
      .map((c) => ({ step: step.name, label: c.label, workspace: ws.id, ...(c.location as Location) })),
  };
  node.children = step.components.map((c) => componentNode(c, step, node, unique(`${id}/${c.label}`)));
  return node;
}

export function buildTree(workspaces: TreeWorkspace[]): TreeNode[] {
  const used = new Set<string>();
  const unique = (id: string): string => {
    let candidate = id;
    for (let n = 2; used.has(candidate); n++) {
      candidate = `${id}#${n}`;
    }
    used.add(candidate);
    return candidate;
  };
  return workspaces.map((ws) => {
    const kind = KINDS[ws.kind] ?? KINDS.shared;
    const id = unique(`ws:${ws.id}`);
    const node: TreeNode = {
      kind: 'workspace',
      id,
      label: ws.id,
      description: [kind.word, ws.readOnly ? 'read-only' : '', plural(ws.steps.length, 'step')].filter((s) => s).join(' · '),
      tooltip: `${kind.word} workspace ${ws.id}${ws.root ? `\n${ws.root}` : ''}${ws.readOnly ? '\nread-only' : ''}`,
      icon: { id: ws.readOnly ? 'lock' : kind.icon },
      contextValue: ws.readOnly ? 'workspace.readOnly' : 'workspace',
      expanded: ws.kind === 'shared' || ws.kind === 'developer',
      location: null,
      parent: undefined,
      children: [],
    };
    node.children = ws.steps.map((s) => stepNode(s, ws, node, unique(`${id}/${s.name}`), unique));
    return node;
  });
}

/** File URI -> the step nodes it belongs to (their registry entry or one of their components). */
export function stepsByUri(roots: TreeNode[]): Map<string, TreeNode[]> {
  const index = new Map<string, TreeNode[]>();
  const add = (uri: string, step: TreeNode): void => {
    const steps = index.get(uri) ?? [];
    if (!steps.includes(step)) {
      steps.push(step);
    }
    index.set(uri, steps);
  };
  for (const step of roots.flatMap((ws) => ws.children)) {
    const locations = [step.location, ...step.children.map((c) => c.location)];
    locations.forEach((location) => location && add(location.uri, step));
  }
  return index;
}
