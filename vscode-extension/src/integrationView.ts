/**
 * What the promotion commands offer: which steps can be staged, which staged steps each action
 * applies to, and which actions ask for confirmation. Pure (no `vscode` import).
 */

import type { IntegrationAction, StagedComponent, StepRow } from './protocol';

export interface IntegrationRow {
  label: string;
  description: string;
  detail: string;
  step: string;
  workspace: string;
}

/** Statuses a staged step must have for each action (the server checks again and explains). */
export const ELIGIBLE: Record<IntegrationAction, readonly string[]> = {
  validate: ['staged', 'approved'],
  approve: ['staged'],
  reject: ['staged', 'approved'],
  promote: ['staged', 'approved'],
  rollback: ['promoted'],
};

/** Steps registered by a developer workspace (the shared tree's own steps are already shared). */
export function stageCandidateRows(steps: StepRow[]): IntegrationRow[] {
  return steps
    .filter((s) => s.workspace !== 'shared')
    .sort((a, b) => a.workspace.localeCompare(b.workspace) || a.name.localeCompare(b.name))
    .map((s) => ({
      label: s.name,
      description: [s.workspace, s.sagemakerStepType ?? '', s.complete ? '' : 'incomplete']
        .filter((p) => p.length > 0)
        .join(' · '),
      detail: s.description,
      step: s.name,
      workspace: s.workspace,
    }));
}

/** Staged steps an action applies to, most recently staged first. */
export function stagedRows(components: StagedComponent[], action: IntegrationAction): IntegrationRow[] {
  return components
    .filter((c) => ELIGIBLE[action].includes(c.status))
    .sort((a, b) => b.staged_at.localeCompare(a.staged_at))
    .map((c) => ({
      label: c.component_id,
      description: `${c.status} · from ${c.source_workspace}`,
      detail: c.component_types.join(', '),
      step: c.component_id,
      workspace: c.source_workspace,
    }));
}

/** What to say when no staged step fits an action. */
export function nothingToDo(action: IntegrationAction): string {
  const needed = ELIGIBLE[action].join(' or ');
  return `stepcat: no ${needed} step to ${action === 'rollback' ? 'roll back' : action} (stage one with "stepcat: Stage Step for Integration...").`;
}

/** The confirmation question of the actions that write the shared tree, else undefined. */
export function confirmation(action: IntegrationAction, step: string): string | undefined {
  if (action === 'promote') {
    return `Promote ${step} into the shared workspace? Its files are copied and its registry entry added; "stepcat: Roll Back Promoted Step..." undoes it.`;
  }
  if (action === 'rollback') {
    return `Roll back the promotion of ${step}? The shared files are restored to their bytes before the promotion.`;
  }
  return undefined;
}
