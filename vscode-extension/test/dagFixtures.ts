/** A small DAG answer as the server would send it (the demo's training pipeline). */

import type { DagGraph, DagNode, Location } from '../src/protocol';

export const DAG_URI = 'file:///ws/pipelines/training_dag.py';

export const at = (uri: string, line: number, start = 0, end = 10): Location => ({
  uri,
  range: { start: { line, character: start }, end: { line, character: end } },
});

const counts = (error = 0, warning = 0) => ({ error, warning, information: 0, hint: 0 });

export function dagNode(id: string, overrides: Partial<DagNode> = {}): DagNode {
  return {
    id,
    step: id.replace(/_(training|calibration)$/, ''),
    jobType: /_(training|calibration)$/.exec(id)?.[1] ?? null,
    status: 'complete',
    problems: counts(),
    workspace: 'shared',
    location: at(DAG_URI, 5, 16, 44),
    definition: at('file:///ws/specs/x_spec.py', 6),
    variant: 'base spec',
    ...overrides,
  };
}

export function trainingDag(): DagGraph {
  return {
    uri: DAG_URI,
    name: 'xgboost_training',
    nodes: [
      dagNode('CradleDataLoading_training', {
        variant: 'variants.training',
        location: at(DAG_URI, 5, 16, 44),
        definition: at('file:///ws/specs/cradle_data_loading_training_spec.py', 6),
      }),
      dagNode('TabularPreprocessing_training', { location: at(DAG_URI, 6, 16, 47), status: 'incomplete', problems: counts(0, 1) }),
      dagNode('XGBoostTraining', { location: at(DAG_URI, 7, 16, 33), definition: null, workspace: 'alice' }),
      dagNode('Tab', { step: null, jobType: null, status: 'unknown', location: at(DAG_URI, 8, 16, 21), definition: null, workspace: null, variant: null }),
      dagNode('Registration', { status: 'error', problems: counts(2, 1), location: null, definition: null }),
    ],
    edges: [
      { source: 'CradleDataLoading_training', target: 'TabularPreprocessing_training', location: at(DAG_URI, 10, 13, 41) },
      { source: 'TabularPreprocessing_training', target: 'XGBoostTraining', location: at(DAG_URI, 11, 13, 44) },
      { source: 'XGBoostTraining', target: 'Registration', location: null },
    ],
    problems: [],
  };
}
