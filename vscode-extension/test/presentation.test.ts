import { describe, expect, it } from 'vitest';

import {
  componentPickRows,
  displayPath,
  idleView,
  problemSummary,
  progressView,
  statusView,
  stoppedView,
  stepPickRows,
} from '../src/presentation';
import type { ComponentRow, StepRow } from '../src/protocol';

const range = (line: number) => ({
  start: { line, character: 0 },
  end: { line, character: 5 },
});

describe('language status', () => {
  it('shows the step count and the workspaces, not the problem counts', () => {
    const view = statusView({
      state: 'ready',
      steps: 14,
      workspaces: ['shared', 'alice'],
      folders: ['/ws'],
      problems: { error: 7, warning: 5, information: 1, hint: 0 },
    });
    expect(view).toEqual({
      text: '$(book) 14 steps',
      detail: 'stepcat: in 2 workspaces (shared, alice)',
      severity: 'information',
      busy: false,
      link: 'showStep',
    });
  });

  it('warns when the catalog has no step', () => {
    const view = statusView({
      state: 'ready',
      steps: 0,
      workspaces: [],
      folders: [],
      problems: { error: 0, warning: 0, information: 2, hint: 1 },
    });
    expect(view.text).toBe('$(book) 0 steps');
    expect(view.severity).toBe('warning');
  });

  it('is busy while indexing', () => {
    expect(statusView({ state: 'indexing' })).toMatchObject({ text: 'stepcat: indexing…', busy: true });
    expect(progressView('reading specs', 41.6)).toMatchObject({
      text: 'stepcat: indexing… 42%',
      detail: 'reading specs',
    });
  });

  it('is quiet when not started on purpose', () => {
    expect(idleView('no step catalog in this workspace')).toMatchObject({ severity: 'information', text: 'stepcat: idle' });
  });

  it('is an error linking to the output when stopped', () => {
    expect(stoppedView('no interpreter')).toMatchObject({ severity: 'error', link: 'showOutput', detail: 'no interpreter' });
  });

  it('summarises problems', () => {
    expect(problemSummary({ error: 0, warning: 0, information: 0, hint: 0 })).toBe('no problems');
    expect(problemSummary({ error: 1, warning: 0, information: 0, hint: 2 })).toBe('1 error, 2 hints');
  });
});

describe('displayPath', () => {
  it('is relative to the innermost folder holding the file', () => {
    const uri = 'file:///ws/dev/alice/src/spec%20x.py';
    expect(displayPath(uri, ['/ws', '/ws/dev/alice'])).toBe('src/spec x.py');
    expect(displayPath('file:///other/a.py', ['/ws'])).toBe('/other/a.py');
  });
});

describe('quick pick rows', () => {
  const steps: StepRow[] = [
    {
      name: 'TabularPreprocessing',
      workspace: 'shared',
      sagemakerStepType: 'Processing',
      description: 'Tabular data preprocessing step',
      variants: ['calibration', 'training'],
      complete: true,
      location: { uri: 'file:///ws/src/registry/step_names.py', range: range(12) },
    },
    {
      name: 'Registration',
      workspace: 'shared',
      sagemakerStepType: 'RegisterModel',
      description: 'Model registration',
      variants: [],
      complete: false,
      location: null,
    },
  ];

  it('describes each step and ranks by the query', () => {
    const rows = stepPickRows(steps, '', ['/ws']);
    expect(rows.map((r) => r.label)).toEqual(['TabularPreprocessing', 'Registration']);
    expect(rows[0].description).toBe('Processing · shared');
    expect(rows[0].detail).toBe(
      'Tabular data preprocessing step — variants: calibration, training — src/registry/step_names.py',
    );
    expect(rows[1].description).toBe('RegisterModel · shared · incomplete');
    expect(rows[1].detail).toBe('Model registration — no registry entry');
    expect(stepPickRows(steps, 'regis', ['/ws']).map((r) => r.label)).toEqual(['Registration']);
    expect(stepPickRows(steps, 'tabular_training', ['/ws']).map((r) => r.label)).toEqual([
      'TabularPreprocessing',
    ]);
  });

  it('lists components with their file and 1-based line', () => {
    const components: ComponentRow[] = [
      {
        step: 'CradleDataLoading_training',
        label: 'spec (training)',
        workspace: 'shared',
        uri: 'file:///ws/src/steps/specs/cradle_data_loading_training_spec.py',
        range: range(5),
      },
    ];
    expect(componentPickRows(components, ['/ws'])).toEqual([
      {
        label: 'spec (training)',
        description: 'src/steps/specs/cradle_data_loading_training_spec.py:6',
        detail: 'CradleDataLoading_training · shared',
        location: { uri: components[0].uri, range: range(5) },
      },
    ]);
  });
});
