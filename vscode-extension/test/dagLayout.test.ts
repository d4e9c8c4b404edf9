import { describe, expect, it } from 'vitest';

import { MARGIN, Metrics, Placed, nodeSize, placeGraph } from '../src/dag/layout';
import { toViewGraph } from '../src/dag/model';
import { trainingDag } from './dagFixtures';

const metrics: Metrics = { measure: (text, bold) => text.length * (bold ? 8 : 7), lineHeight: 18, padding: 8, minWidth: 96 };

function overlaps(a: Placed['nodes'][number], b: Placed['nodes'][number]): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const centre = (n: Placed['nodes'][number]) => ({ x: n.x + n.width / 2, y: n.y + n.height / 2 });

describe('nodeSize', () => {
  it('fits the longer line and the number of lines, at least the minimum width', () => {
    const [cradle] = toViewGraph(trainingDag()).nodes;
    expect(nodeSize(cradle, metrics)).toEqual({ width: 26 * 8 + 16, height: 2 * 18 + 16 });
    expect(nodeSize({ ...cradle, title: 'A', subtitle: '' }, metrics)).toEqual({ width: 96, height: 18 + 16 });
  });
});

describe('placeGraph (dagre)', () => {
  const view = toViewGraph(trainingDag());

  it('places every node once, without overlaps, inside the drawing', () => {
    const placed = placeGraph(view, metrics);
    expect(placed.nodes.map((n) => n.id)).toEqual(view.nodes.map((n) => n.id));
    for (const [i, a] of placed.nodes.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(MARGIN - 0.01);
      expect(a.y).toBeGreaterThanOrEqual(MARGIN - 0.01);
      expect(a.x + a.width).toBeLessThanOrEqual(placed.width);
      expect(a.y + a.height).toBeLessThanOrEqual(placed.height);
      for (const b of placed.nodes.slice(i + 1)) {
        expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
  });

  it('ranks top to bottom by default and left to right on request', () => {
    const byId = (p: Placed) => Object.fromEntries(p.nodes.map((n) => [n.id, centre(n)]));
    const tb = byId(placeGraph(view, metrics, 'TB'));
    expect(tb.CradleDataLoading_training.y).toBeLessThan(tb.TabularPreprocessing_training.y);
    expect(tb.XGBoostTraining.y).toBeLessThan(tb.Registration.y);
    const lr = byId(placeGraph(view, metrics, 'LR'));
    expect(lr.CradleDataLoading_training.x).toBeLessThan(lr.TabularPreprocessing_training.x);
    expect(lr.XGBoostTraining.x).toBeLessThan(lr.Registration.x);
  });

  it('routes each edge from its source box to its target box, parallel edges separately', () => {
    const twice = { ...view, edges: [...view.edges, { ...view.edges[0], index: 9 }] };
    const placed = placeGraph(twice, metrics);
    expect(placed.edges.map((e) => e.index)).toEqual([0, 1, 2, 9]);
    const nodes = Object.fromEntries(placed.nodes.map((n) => [n.id, n]));
    for (const edge of placed.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      const first = edge.points[0];
      const last = edge.points[edge.points.length - 1];
      expect(first.y).toBeCloseTo(nodes[edge.source].y + nodes[edge.source].height, 0);
      expect(last.y).toBeCloseTo(nodes[edge.target].y, 0);
    }
    expect(placed.edges[3].points).not.toEqual(placed.edges[0].points);
  });

  it('lays out an empty graph and a cycle', () => {
    expect(placeGraph({ nodes: [], edges: [] }, metrics)).toMatchObject({ nodes: [], edges: [] });
    const [a, b] = view.nodes;
    const cycle = placeGraph(
      { nodes: [a, b], edges: [{ source: a.id, target: b.id, index: 0, tooltip: '' }, { source: b.id, target: a.id, index: 1, tooltip: '' }] },
      metrics,
    );
    expect(cycle.edges.every((e) => e.points.length >= 2)).toBe(true);
  });
});
