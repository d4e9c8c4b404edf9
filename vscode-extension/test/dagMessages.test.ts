import { describe, expect, it } from 'vitest';

import { clickTarget, nodeAt, parseDagGraph, parseFromWebview, parseToWebview } from '../src/dag/messages';
import { DAG_URI, at, trainingDag } from './dagFixtures';

describe('parseDagGraph', () => {
  it('passes a well-formed answer through unchanged', () => {
    const graph = trainingDag();
    expect(parseDagGraph(JSON.parse(JSON.stringify(graph)))).toEqual(graph);
  });

  it('tells "no DAG" (null) from "not a graph" (undefined)', () => {
    expect(parseDagGraph(null)).toBeNull();
    for (const bad of [undefined, 42, 'graph', [], {}, { uri: DAG_URI }, { uri: 1, nodes: [] }]) {
      expect(parseDagGraph(bad)).toBeUndefined();
    }
  });

  it('defaults wrong fields, drops nodes without id and edges without ends, keeps the first of a repeated id', () => {
    const graph = parseDagGraph({
      uri: DAG_URI,
      nodes: [
        { id: 'A', status: 'purple', problems: { error: -1, warning: 2.7, hint: 'x' }, location: { uri: 'u' } },
        { id: '' },
        { step: 'NoId' },
        { id: 'A', status: 'error' },
        { id: 'B', step: 3, jobType: 'training', definition: at('file:///d.py', 2) },
      ],
      edges: [{ source: 'A', target: 'B' }, { source: 'A' }, 'A->B'],
      problems: ['edge names an undeclared node', 7],
    });
    expect(graph?.name).toBe('');
    expect(graph?.nodes).toEqual([
      {
        id: 'A',
        step: null,
        jobType: null,
        status: 'unknown',
        problems: { error: 0, warning: 2, information: 0, hint: 0 },
        workspace: null,
        location: null,
        definition: null,
        variant: null,
      },
      expect.objectContaining({ id: 'B', step: null, jobType: 'training', definition: at('file:///d.py', 2) }),
    ]);
    expect(graph?.edges).toEqual([{ source: 'A', target: 'B', location: null }]);
    expect(graph?.problems).toEqual(['edge names an undeclared node']);
  });

  it('rewrites every URI through the normaliser', () => {
    const upper = (uri: string) => uri.toUpperCase();
    const graph = parseDagGraph(trainingDag(), upper);
    expect(graph?.uri).toBe(DAG_URI.toUpperCase());
    expect(graph?.nodes[0].location?.uri).toBe(DAG_URI.toUpperCase());
    expect(graph?.nodes[0].definition?.uri).toMatch(/^FILE:/);
    expect(graph?.edges[0].location?.uri).toBe(DAG_URI.toUpperCase());
  });
});

describe('webview messages', () => {
  it('accepts the webview messages and nothing else', () => {
    expect(parseFromWebview({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseFromWebview({ type: 'openNode', id: 'A_training' })).toEqual({ type: 'openNode', id: 'A_training' });
    expect(parseFromWebview({ type: 'openEdge', index: 2 })).toEqual({ type: 'openEdge', index: 2 });
    for (const bad of [null, 'ready', { type: 'openNode' }, { type: 'openNode', id: 3 }, { type: 'openEdge', index: -1 },
      { type: 'openEdge', index: 1.5 }, { type: 'eval', code: 'x' }]) {
      expect(parseFromWebview(bad)).toBeUndefined();
    }
  });

  it('accepts the extension messages in the webview', () => {
    const graph = trainingDag();
    expect(parseToWebview({ type: 'graph', graph, file: 'training_dag.py' })).toEqual({ type: 'graph', graph, file: 'training_dag.py' });
    expect(parseToWebview({ type: 'notice', text: 'No DAG' })).toEqual({ type: 'notice', text: 'No DAG' });
    expect(parseToWebview({ type: 'select', id: null })).toEqual({ type: 'select', id: null });
    expect(parseToWebview({ type: 'graph', graph: null, file: 'x' })).toBeUndefined();
    expect(parseToWebview({ type: 'notice' })).toBeUndefined();
  });
});

describe('clicks and the cursor', () => {
  it('opens the definition, else where the name is written, else nothing', () => {
    const graph = trainingDag();
    const node = (id: string) => clickTarget(graph, { type: 'openNode', id });
    expect(node('CradleDataLoading_training')?.uri).toBe('file:///ws/specs/cradle_data_loading_training_spec.py');
    expect(node('XGBoostTraining')).toEqual(at(DAG_URI, 7, 16, 33));
    expect(node('Registration')).toBeNull();
    expect(node('Missing')).toBeNull();
  });

  it('opens where an edge is written', () => {
    const graph = trainingDag();
    expect(clickTarget(graph, { type: 'openEdge', index: 0 })).toEqual(at(DAG_URI, 10, 13, 41));
    expect(clickTarget(graph, { type: 'openEdge', index: 2 })).toBeNull();
    expect(clickTarget(graph, { type: 'openEdge', index: 7 })).toBeNull();
    expect(clickTarget(graph, { type: 'ready' })).toBeNull();
  });

  it('finds the node written under the cursor', () => {
    const graph = trainingDag();
    expect(nodeAt(graph, DAG_URI, 6, 16)).toBe('TabularPreprocessing_training');
    expect(nodeAt(graph, DAG_URI, 6, 47)).toBe('TabularPreprocessing_training');
    expect(nodeAt(graph, DAG_URI, 6, 48)).toBeNull();
    expect(nodeAt(graph, DAG_URI, 9, 20)).toBeNull();
    expect(nodeAt(graph, 'file:///other.py', 6, 20)).toBeNull();
  });
});
