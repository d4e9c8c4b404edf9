/**
 * The `stepcat.stepTree` answer read leniently (see `shapes.ts`): workspaces without an id and
 * steps without a name are dropped, other wrong fields become defaults. Pure.
 */

import type { TreeComponent, TreeOwner, TreeStep, TreeWorkspace } from '../protocol';
import { NormaliseUri, isObject, location, oneOf, problemCounts, stringOrNull, strings } from '../shapes';

const KINDS = ['shared', 'developer', 'package', 'pack'] as const;

function component(value: unknown, normalise: NormaliseUri): TreeComponent | undefined {
  if (!isObject(value) || typeof value.label !== 'string') {
    return undefined;
  }
  const note = typeof value.note === 'string' && value.note ? { note: value.note } : {};
  return {
    label: value.label,
    present: value.present === true,
    required: value.required === true,
    location: location(value.location, normalise),
    ...note,
  };
}

function step(value: unknown, normalise: NormaliseUri): TreeStep | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || value.name.length === 0) {
    return undefined;
  }
  const components = Array.isArray(value.components) ? value.components : [];
  return {
    name: value.name,
    sagemakerStepType: stringOrNull(value.sagemakerStepType),
    layout: oneOf(value.layout, ['1.x', 'interface'] as const, '1.x'),
    complete: value.complete === true,
    problems: problemCounts(value.problems),
    location: location(value.location, normalise),
    components: components.map((c) => component(c, normalise)).filter((c): c is TreeComponent => c !== undefined),
    variants: strings(value.variants),
    ...(Array.isArray(value.missing) ? { missing: strings(value.missing) } : {}),
  };
}

function workspace(value: unknown, normalise: NormaliseUri): TreeWorkspace | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || value.id.length === 0) {
    return undefined;
  }
  const steps = Array.isArray(value.steps) ? value.steps : [];
  return {
    id: value.id,
    kind: oneOf(value.kind, KINDS, 'shared'),
    root: stringOrNull(value.root),
    readOnly: value.readOnly === true,
    steps: steps.map((s) => step(s, normalise)).filter((s): s is TreeStep => s !== undefined),
    ...(typeof value.stepCount === 'number' && value.stepCount >= 0 ? { stepCount: Math.floor(value.stepCount) } : {}),
  };
}

/** The workspaces, or undefined when the answer is not a list. */
export function parseStepTree(value: unknown, normalise: NormaliseUri = (uri) => uri): TreeWorkspace[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  return value.map((w) => workspace(w, normalise)).filter((w): w is TreeWorkspace => w !== undefined);
}

/** `stepcat.stepTree (workspace)`: the workspace's steps, or undefined when not a list. */
export function parseTreeSteps(value: unknown, normalise: NormaliseUri = (uri) => uri): TreeStep[] | undefined {
  return Array.isArray(value) ? value.map((s) => step(s, normalise)).filter((s): s is TreeStep => s !== undefined) : undefined;
}

/** `stepcat.stepTree (workspace, step)`: the step's components, or undefined when not a list. */
export function parseTreeComponents(value: unknown, normalise: NormaliseUri = (uri) => uri): TreeComponent[] | undefined {
  return Array.isArray(value)
    ? value.map((c) => component(c, normalise)).filter((c): c is TreeComponent => c !== undefined)
    : undefined;
}

/** `stepcat.stepTreeOwners (uri)`: the step nodes a file belongs to ([] for anything else). */
export function parseTreeOwners(value: unknown): TreeOwner[] {
  return Array.isArray(value)
    ? value.filter(isObject).flatMap((o) =>
        typeof o.workspace === 'string' && typeof o.step === 'string' ? [{ workspace: o.workspace, step: o.step }] : [],
      )
    : [];
}
