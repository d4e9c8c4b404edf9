import { describe, expect, it } from 'vitest';

import { nodeTooltip, problemMarks, statusClass, toViewGraph } from '../src/dag/model';
import { trainingDag } from './dagFixtures';

describe('statusClass', () => {
  it('maps each status to its class and anything else to unknown', () => {
    expect(statusClass('complete')).toBe('status-complete');
    expect(statusClass('incomplete')).toBe('status-incomplete');
    expect(statusClass('error')).toBe('status-error');
    expect(statusClass('unknown')).toBe('status-unknown');
    expect(statusClass('"><script>')).toBe('status-unknown');
  });
});

describe('toViewGraph', () => {
  it('shows the name, then the job type, a foreign step name and problem marks', () => {
    const view = toViewGraph(trainingDag());
    const byId = Object.fromEntries(view.nodes.map((n) => [n.id, n]));
    expect(byId.CradleDataLoading_training).toMatchObject({
      title: 'CradleDataLoading_training',
      subtitle: 'training',
      className: 'node status-complete',
      placeholder: false,
    });
    expect(byId.TabularPreprocessing_training.subtitle).toBe('training · ⚠1');
    expect(byId.TabularPreprocessing_training.className).toBe('node status-incomplete');
    expect(byId.XGBoostTraining.subtitle).toBe('');
    expect(byId.Tab.subtitle).toBe('unknown step');
    expect(byId.Registration.subtitle).toBe('✖2 ⚠1');
    expect(byId.Registration.className).toBe('node status-error');
  });

  it('names the step when the node name does not start with it', () => {
    const graph = trainingDag();
    graph.nodes[0] = { ...graph.nodes[0], id: 'load', step: 'CradleDataLoading', jobType: 'training' };
    graph.edges = [];
    expect(toViewGraph(graph).nodes[0].subtitle).toBe('training · CradleDataLoading');
  });

  it('adds a placeholder for an edge end that no node declares, once', () => {
    const graph = trainingDag();
    graph.edges.push(
      { source: 'Registration', target: 'Payload', location: null },
      { source: 'Payload', target: 'Registration', location: null },
    );
    const view = toViewGraph(graph);
    const placeholders = view.nodes.filter((n) => n.placeholder);
    expect(placeholders.map((n) => n.id)).toEqual(['Payload']);
    expect(placeholders[0].className).toBe('node status-unknown placeholder');
    expect(view.edges.map((e) => e.index)).toEqual([0, 1, 2, 3, 4]);
    expect(view.edges[3].tooltip).toBe('Registration → Payload');
  });
});

describe('tooltips', () => {
  it('say workspace, variant, status, problems and what a click opens', () => {
    const [cradle, , xgb, tab, registration] = trainingDag().nodes;
    expect(nodeTooltip(cradle)).toBe(
      [
        'CradleDataLoading_training',
        'step CradleDataLoading, job type training',
        'workspace: shared',
        'spec: variants.training',
        'status: complete',
        'problems: no problems',
        'click to open its definition',
      ].join('\n'),
    );
    expect(nodeTooltip(xgb)).toContain('workspace: alice');
    expect(nodeTooltip(xgb)).toContain('click to open where it is written');
    expect(nodeTooltip(tab)).toContain('unknown step\nworkspace: —');
    expect(nodeTooltip(registration)).toContain('status: has errors\nproblems: 2 errors, 1 warning');
    expect(nodeTooltip(registration)).not.toContain('click');
  });

  it('marks errors and warnings only', () => {
    expect(problemMarks({ error: 0, warning: 0, information: 3, hint: 1 })).toBe('');
    expect(problemMarks({ error: 1, warning: 0, information: 0, hint: 0 })).toBe('✖1');
  });
});
