import { describe, expect, it } from 'vitest';

import { ELIGIBLE, confirmation, nothingToDo, stageCandidateRows, stagedRows } from '../src/integrationView';
import type { StagedComponent, StepRow } from '../src/protocol';

const step = (name: string, workspace: string, complete = true): StepRow => ({
  name,
  workspace,
  sagemakerStepType: 'Processing',
  description: `${name} step`,
  variants: [],
  complete,
  location: null,
});

const staged = (id: string, status: string, at: string): StagedComponent => ({
  component_id: id,
  source_workspace: 'alice',
  status,
  stage: 'integration',
  component_types: ['script', 'contract', 'spec'],
  staged_at: at,
});

describe('stage candidates', () => {
  it('offers only developer workspace steps, by workspace then name, marking incomplete ones', () => {
    const rows = stageCandidateRows([
      step('Package', 'shared'),
      step('Zeta', 'bob', false),
      step('FeatureSelection', 'alice'),
      step('Alpha', 'bob'),
    ]);
    expect(rows.map((r) => [r.step, r.workspace, r.description])).toEqual([
      ['FeatureSelection', 'alice', 'alice · Processing'],
      ['Alpha', 'bob', 'bob · Processing'],
      ['Zeta', 'bob', 'bob · Processing · incomplete'],
    ]);
  });
});

describe('staged rows', () => {
  const components = [
    staged('Old', 'staged', '2026-11-20T10:00:00'),
    staged('Promoted', 'promoted', '2026-11-21T10:00:00'),
    staged('New', 'approved', '2026-11-22T10:00:00'),
    staged('Rejected', 'rejected', '2026-11-22T11:00:00'),
  ];

  it('lists the steps an action applies to, most recently staged first', () => {
    expect(stagedRows(components, 'promote').map((r) => r.label)).toEqual(['New', 'Old']);
    expect(stagedRows(components, 'approve').map((r) => r.label)).toEqual(['Old']);
    expect(stagedRows(components, 'rollback').map((r) => r.label)).toEqual(['Promoted']);
    expect(stagedRows(components, 'validate')[0]).toEqual({
      label: 'New',
      description: 'approved · from alice',
      detail: 'script, contract, spec',
      step: 'New',
      workspace: 'alice',
    });
  });

  it('never offers a rejected step: it must be staged again', () => {
    for (const action of Object.keys(ELIGIBLE) as (keyof typeof ELIGIBLE)[]) {
      expect(stagedRows(components, action).map((r) => r.label)).not.toContain('Rejected');
    }
  });

  it('says what is missing when nothing fits', () => {
    expect(nothingToDo('rollback')).toBe(
      'stepcat: no promoted step to roll back (stage one with "stepcat: Stage Step for Integration...").',
    );
  });
});

describe('confirmation', () => {
  it('asks before writing the shared tree, and only then', () => {
    expect(confirmation('promote', 'FeatureSelection')).toMatch(/^Promote FeatureSelection into the shared workspace\?/);
    expect(confirmation('rollback', 'FeatureSelection')).toMatch(/^Roll back the promotion of FeatureSelection\?/);
    expect(confirmation('validate', 'FeatureSelection')).toBeUndefined();
    expect(confirmation('approve', 'FeatureSelection')).toBeUndefined();
  });
});
