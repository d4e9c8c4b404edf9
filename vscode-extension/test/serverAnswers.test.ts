/** The extension's readers on what the server really answers (the demo's answers, kept current by
 * tests/server/test_view_answers.py): nothing is dropped, and the views build from them. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseDagGraph } from '../src/dag/messages';
import { toViewGraph } from '../src/dag/model';
import { parseStepTree } from '../src/tree/answer';
import { LazyTree } from '../src/tree/lazy';
import { buildTree } from '../src/tree/model';

const answers = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'server-answers.json'), 'utf8')) as Record<string, unknown>;

describe('the server answers', () => {
  it('reads a Python DAG module graph whole', () => {
    const raw = answers.dagGraph as { nodes: unknown[]; edges: unknown[] };
    const graph = parseDagGraph(raw);
    expect(graph).toBeDefined();
    expect(graph?.nodes).toHaveLength(raw.nodes.length);
    expect(graph?.edges).toHaveLength(raw.edges.length);
    const model = graph?.nodes.find((n) => n.id === 'XGBoostModel');
    expect(model?.status).toBe('incomplete');
    expect(model?.definition?.uri).toMatch(/builder_xgboost_model_step\.py$/);
    const view = toViewGraph(graph!);
    expect(view.nodes.every((n) => !n.placeholder)).toBe(true);
    expect(view.nodes.find((n) => n.id === 'CradleDataLoading_training')?.subtitle).toBe('training');
  });

  it('reads a DAG JSON graph', () => {
    const graph = parseDagGraph(answers.dagGraphJson);
    expect(graph?.name).toBe('fraud_scoring_calibration');
    expect(graph?.nodes.map((n) => n.workspace)).toEqual(['shared', 'shared', 'shared', 'fraud_detection']);
  });

  it('reads the step tree and builds the Steps view from it', () => {
    const raw = answers.stepTree as { steps: unknown[] }[];
    const tree = parseStepTree(raw);
    expect(tree?.map((w) => w.steps.length)).toEqual(raw.map((w) => w.steps.length));
    const roots = buildTree(tree!);
    expect(roots.map((r) => r.label)).toEqual(['shared', 'alice', 'bob', 'fraud_detection']);
    const bob = roots[2].children[0];
    expect(bob.label).toBe('LightGBMMTTraining');
    expect(bob.description).toBe('1 warning');
    const fraud = roots[3].children[0];
    expect(fraud.children.map((c) => c.label)).toEqual(['interface', 'script', 'builder', 'config']);
    expect(fraud.children[2].description).toContain('synthesised at run time');
  });

  it('builds the Steps view level by level from the answers of each level', async () => {
    const levels = answers.stepTreeLevels as {
      roots: unknown;
      steps: Record<string, unknown>;
      components: Record<string, unknown>;
      owners: Record<string, unknown>;
    };
    const lazy = new LazyTree(async (command, ...args) => {
      if (command === 'stepcat.stepTreeOwners') {
        return levels.owners[args[0].replace('file:///demo/', '')];
      }
      return args.length === 0 ? levels.roots : args.length === 1 ? levels.steps[args[0]] : levels.components[args.join('/')];
    });
    const roots = await lazy.children();
    const whole = buildTree(parseStepTree(answers.stepTree)!);
    expect(roots.map((r) => [r.label, r.description])).toEqual(whole.map((r) => [r.label, r.description]));
    for (const [i, ws] of roots.entries()) {
      const steps = await lazy.children(ws);
      expect(steps.map((s) => [s.id, s.description, s.tooltip])).toEqual(whole[i].children.map((s) => [s.id, s.description, s.tooltip]));
      for (const [j, step] of steps.entries()) {
        const components = await lazy.children(step);
        expect(components.map((c) => [c.id, c.description])).toEqual(whole[i].children[j].children.map((c) => [c.id, c.description]));
      }
    }
    const cradle = await lazy.stepOf('file:///demo/src/cursus/steps/specs/cradle_data_loading_training_spec.py');
    expect([cradle?.label, cradle?.parent?.label]).toEqual(['CradleDataLoading', 'shared']);
  });
});
