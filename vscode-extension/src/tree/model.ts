/**
 * The Steps view's tree from `stepcat.stepTree`: workspaces -> steps -> components, with the
 * texts, icons and context values VS Code shows; a level's nodes are made when it is fetched
 * (`lazy.ts`), or all at once from a whole-tree answer (`buildTree`). Pure: icons are codicon ids
 * and theme colour ids.
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
  /** False until the children were fetched (the view asks for a level when it expands it). */
  loaded: boolean;
  /** The workspace id of a workspace node, or of a step's / component's workspace. */
  workspace: string;
  /** The step's components as Go to Component... rows (steps only, once loaded). */
  components?: ComponentRow[];
}

/** Whether VS Code shows an expander: components never, a loaded node only with children. */
export function collapsible(node: TreeNode): boolean {
  return node.kind !== 'component' && (!node.loaded || node.children.length > 0);
}

/** Ids unique within one tree: a repeated one gets `#2`, `#3`... */
export function uniqueIds(): (id: string) => string {
  const used = new Set<string>();
  return (id: string): string => {
    let candidate = id;
    for (let n = 2; used.has(candidate); n++) {
      candidate = `${id}#${n}`;
    }
    used.add(candidate);
    return candidate;
  };
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
  return step.missing ?? step.components.filter((c) => !c.present && c.required).map((c) => c.label);
}

function componentNode(c: TreeComponent, step: string, parent: TreeNode, id: string): TreeNode {
  const missing = !c.present || c.location === null;
  const state = missing ? (c.required ? 'missing' : 'not present') : fileName(c.location?.uri ?? '');
  const description = [state, c.note ?? ''].filter((s) => s).join(' · ');
  return {
    kind: 'component',
    id,
    label: c.label,
    description,
    tooltip: `${c.label} of ${step}: ${missing ? description : (c.location?.uri ?? '')}`,
    icon: missing ? (c.required ? WARNING : { id: 'circle-slash', color: 'disabledForeground' }) : { id: 'file' },
    contextValue: missing ? 'component.missing' : 'component',
    expanded: false,
    location: missing ? null : c.location,
    ...(missing || c.location === null ? {} : { resourceUri: c.location.uri }),
    parent,
    children: [],
    loaded: true,
    workspace: parent.workspace,
  };
}

/** A step node's children from its components (fetched with the step, or later). */
export function setComponents(node: TreeNode, components: TreeComponent[], unique: (id: string) => string): TreeNode[] {
  node.children = components.map((c) => componentNode(c, node.label, node, unique(`${node.id}/${c.label}`)));
  node.components = components
    .filter((c) => c.present && c.location !== null)
    .map((c) => ({ step: node.label, label: c.label, workspace: node.workspace, ...(c.location as Location) }));
  node.loaded = true;
  return node.children;
}

/** A step node; its components are children when the step carries them (a whole-tree answer). */
export function stepNode(step: TreeStep, ws: TreeWorkspace, parent: TreeNode, unique: (id: string) => string): TreeNode {
  const missing = missingComponents(step);
  const problems = problemText(step.problems);
  const node: TreeNode = {
    kind: 'step',
    id: unique(`${parent.id}/${step.name}`),
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
    loaded: false,
    workspace: ws.id,
  };
  if (step.components.length > 0) {
    setComponents(node, step.components, unique);
  }
  return node;
}

/** A workspace node; its steps are children when the workspace carries them. */
export function workspaceNode(ws: TreeWorkspace, unique: (id: string) => string): TreeNode {
  const kind = KINDS[ws.kind] ?? KINDS.shared;
  const count = ws.stepCount ?? ws.steps.length;
  const node: TreeNode = {
    kind: 'workspace',
    id: unique(`ws:${ws.id}`),
    label: ws.id,
    description: [kind.word, ws.readOnly ? 'read-only' : '', plural(count, 'step')].filter((s) => s).join(' · '),
    tooltip: `${kind.word} workspace ${ws.id}${ws.root ? `\n${ws.root}` : ''}${ws.readOnly ? '\nread-only' : ''}`,
    icon: { id: ws.readOnly ? 'lock' : kind.icon },
    contextValue: ws.readOnly ? 'workspace.readOnly' : 'workspace',
    expanded: ws.kind === 'shared' || ws.kind === 'developer',
    location: null,
    parent: undefined,
    children: [],
    loaded: count === 0,
    workspace: ws.id,
  };
  if (ws.steps.length > 0) {
    setSteps(node, ws, ws.steps, unique);
  }
  return node;
}

/** A workspace node's children from its steps (fetched with it, or later). */
export function setSteps(node: TreeNode, ws: TreeWorkspace, steps: TreeStep[], unique: (id: string) => string): TreeNode[] {
  node.children = steps.map((s) => stepNode(s, ws, node, unique));
  node.loaded = true;
  return node.children;
}

/** The whole tree from workspaces that carry their steps and components. */
export function buildTree(workspaces: TreeWorkspace[]): TreeNode[] {
  const unique = uniqueIds();
  return workspaces.map((ws) => workspaceNode(ws, unique));
}
