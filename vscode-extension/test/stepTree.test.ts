import { describe, expect, it } from 'vitest';

import type { TreeWorkspace } from '../src/protocol';
import { parseStepTree, parseTreeComponents, parseTreeOwners, parseTreeSteps } from '../src/tree/answer';
import { LazyTree } from '../src/tree/lazy';
import { buildTree, collapsible, fileName, missingComponents, problemText, stepIcon } from '../src/tree/model';
import { at } from './dagFixtures';

const counts = (error = 0, warning = 0, information = 0, hint = 0) => ({ error, warning, information, hint });
const SHARED = 'file:///ws/src/cursus/steps';

function workspaces(): TreeWorkspace[] {
  return [
    {
      id: 'shared',
      kind: 'shared',
      root: '/ws',
      readOnly: false,
      steps: [
        {
          name: 'TabularPreprocessing',
          sagemakerStepType: 'Processing',
          layout: '1.x',
          complete: true,
          problems: counts(),
          location: at('file:///ws/src/cursus/registry/step_names.py', 12),
          variants: ['training', 'calibration'],
          components: [
            { label: 'script', present: true, required: true, location: at(`${SHARED}/scripts/tabular_preprocessing.py`, 0) },
            { label: 'contract', present: true, required: true, location: at(`${SHARED}/contracts/tabular_preprocessing_contract.py`, 4) },
            { label: 'spec (training)', present: true, required: true, location: at(`${SHARED}/specs/tabular_preprocessing_training_spec.py`, 6) },
            { label: 'config', present: true, required: true, location: at(`${SHARED}/configs/config_tabular_preprocessing_step.py`, 9) },
          ],
        },
        {
          name: 'XGBoostModel',
          sagemakerStepType: 'CreateModel',
          layout: '1.x',
          complete: false,
          problems: counts(0, 1),
          location: at('file:///ws/src/cursus/registry/step_names.py', 43),
          variants: [],
          components: [
            { label: 'spec', present: false, required: true, location: null },
            { label: 'builder', present: true, required: true, location: at(`${SHARED}/builders/builder_xgboost_model_step.py`, 7) },
            { label: 'config', present: true, required: true, location: at(`${SHARED}/configs/config_xgboost_model_step.py`, 3) },
          ],
        },
      ],
    },
    {
      id: 'alice',
      kind: 'developer',
      root: '/ws/development/projects/alice',
      readOnly: false,
      steps: [
        {
          name: 'FeatureSelection',
          sagemakerStepType: 'Processing',
          layout: '1.x',
          complete: false,
          problems: counts(2, 1),
          location: null,
          variants: [],
          components: [{ label: 'script', present: true, required: true, location: at('file:///ws/alice/feature_selection.py', 0) }],
        },
      ],
    },
    {
      id: 'package',
      kind: 'package',
      root: '/venv/lib/python3.12/site-packages/cursus',
      readOnly: true,
      steps: [
        {
          name: 'CradleDataLoading',
          sagemakerStepType: 'CradleDataLoading',
          layout: 'interface',
          complete: true,
          problems: counts(0, 0, 1),
          location: at('file:///venv/cursus/steps/interfaces/cradle_data_loading.step.yaml', 0),
          variants: ['training'],
          components: [
            { label: 'interface', present: true, required: true, location: at('file:///venv/cursus/steps/interfaces/cradle_data_loading.step.yaml', 0) },
            { label: 'builder', present: false, required: false, location: null, note: 'synthesised at run time' },
          ],
        },
      ],
    },
  ];
}

describe('buildTree', () => {
  const roots = buildTree(workspaces());

  it('has workspaces with their kind, read-only mark and step count', () => {
    expect(roots.map((w) => [w.label, w.description, w.contextValue, w.icon.id, w.expanded])).toEqual([
      ['shared', 'shared · 2 steps', 'workspace', 'repo', true],
      ['alice', 'developer · 1 step', 'workspace', 'person', true],
      ['package', 'installed package · read-only · 1 step', 'workspace.readOnly', 'lock', false],
    ]);
    expect(roots[2].tooltip).toContain('/venv/lib/python3.12/site-packages/cursus');
  });

  it('describes steps by their problems, else what is missing, else their type, with an icon to match', () => {
    const [tab, xgb] = roots[0].children;
    const [fs] = roots[1].children;
    const [cradle] = roots[2].children;
    expect([tab.description, tab.icon]).toEqual(['Processing', { id: 'pass', color: 'testing.iconPassed' }]);
    expect([xgb.description, xgb.icon.id]).toEqual(['1 warning', 'warning']);
    expect([fs.description, fs.icon]).toEqual(['2 errors, 1 warning', { id: 'error', color: 'problemsErrorIcon.foreground' }]);
    expect([cradle.description, cradle.icon.id, cradle.contextValue]).toEqual(['1 information', 'info', 'step.readOnly']);
    const quiet = buildTree([{ ...workspaces()[2], steps: [{ ...workspaces()[2].steps[0], problems: counts() }] }]);
    expect(quiet[0].children[0].description).toBe(''); // the type only repeats the name
    expect(xgb.tooltip).toContain('missing: spec');
    expect(tab.tooltip).toContain('variants: training, calibration');
    expect(cradle.tooltip).toContain('interface-first step');
  });

  it('lists components, marking the missing ones and notes, and opening present ones', () => {
    const [, xgb] = roots[0].children;
    const [spec, builder] = xgb.children;
    expect(spec).toMatchObject({ label: 'spec', description: 'missing', contextValue: 'component.missing', location: null });
    expect(spec.icon.id).toBe('warning');
    expect(spec.resourceUri).toBeUndefined();
    expect(builder).toMatchObject({
      description: 'builder_xgboost_model_step.py',
      contextValue: 'component',
      resourceUri: `${SHARED}/builders/builder_xgboost_model_step.py`,
    });
    const synthesised = roots[2].children[0].children[1];
    expect(synthesised).toMatchObject({ description: 'not present · synthesised at run time', contextValue: 'component.missing' });
  });

  it('gives Go to Component... rows of the present components only', () => {
    const [, xgb] = roots[0].children;
    expect(xgb.components?.map((c) => [c.label, c.step, c.workspace])).toEqual([
      ['builder', 'XGBoostModel', 'shared'],
      ['config', 'XGBoostModel', 'shared'],
    ]);
  });

  it('links every node to its parent and keeps ids unique, even for a step registered twice', () => {
    const twice = workspaces();
    twice[0].steps.push({ ...twice[0].steps[0] });
    const tree = buildTree(twice);
    const all = tree.flatMap((w) => [w, ...w.children.flatMap((s) => [s, ...s.children])]);
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    expect(tree[0].children[2].id).toBe('ws:shared/TabularPreprocessing#2');
    for (const node of all) {
      expect(node.parent === undefined || node.parent.children.includes(node)).toBe(true);
    }
    expect(tree[0].children[0].children[0].parent?.parent).toBe(tree[0]);
  });
});

/** A fake server answering stepcat.stepTree level by level from `workspaces()`, recording each ask. */
function server(asked: string[][]) {
  return async (command: string, ...args: string[]): Promise<unknown> => {
    asked.push([command, ...args]);
    const all = workspaces();
    if (command === 'stepcat.stepTreeOwners') {
      return args[0] === `${SHARED}/builders/builder_xgboost_model_step.py` ? [{ workspace: 'shared', step: 'XGBoostModel' }] : [];
    }
    if (args.length === 0) {
      return all.map((w) => ({ ...w, steps: undefined, stepCount: w.steps.length }));
    }
    const ws = all.find((w) => w.id === args[0]);
    if (args.length === 1) {
      return ws?.steps.map((s) => ({ ...s, components: [], missing: missingComponents(s) })) ?? null;
    }
    return ws?.steps.find((s) => s.name === args[1])?.components ?? null;
  };
}

describe('LazyTree', () => {
  it('asks one level at a time and builds the same nodes as the whole tree', async () => {
    const asked: string[][] = [];
    const lazy = new LazyTree(server(asked));
    const roots = await lazy.children();
    expect(asked).toEqual([['stepcat.stepTree']]);
    expect(roots.map((r) => [r.label, r.description, r.loaded, collapsible(r)])).toEqual([
      ['shared', 'shared · 2 steps', false, true],
      ['alice', 'developer · 1 step', false, true],
      ['package', 'installed package · read-only · 1 step', false, true],
    ]);
    const steps = await lazy.children(roots[0]);
    expect(asked.at(-1)).toEqual(['stepcat.stepTree', 'shared']);
    const whole = buildTree(workspaces());
    // a step's texts come from the steps level alone (its missing components included)
    const shown = (n: { id: string; label: string; description: string; tooltip: string; icon: unknown }) =>
      [n.id, n.label, n.description, n.tooltip, n.icon];
    expect(steps.map(shown)).toEqual(whole[0].children.map(shown));
    expect(steps.map((s) => [s.loaded, s.children.length, collapsible(s)])).toEqual([[false, 0, true], [false, 0, true]]);
    const components = await lazy.children(steps[1]);
    expect(asked.at(-1)).toEqual(['stepcat.stepTree', 'shared', 'XGBoostModel']);
    expect(components.map(shown)).toEqual(whole[0].children[1].children.map(shown));
    expect(steps[1].components?.map((c) => c.label)).toEqual(['builder', 'config']);
    expect(components.every((c) => c.parent === steps[1] && !collapsible(c))).toBe(true);
    // asked again: answered from what was fetched
    await Promise.all([lazy.children(), lazy.children(roots[0]), lazy.children(steps[1])]);
    expect(asked).toHaveLength(3);
  });

  it('shares one request between concurrent asks and asks again after a reset', async () => {
    const asked: string[][] = [];
    const lazy = new LazyTree(server(asked));
    const [a, b] = await Promise.all([lazy.children(), lazy.children()]);
    expect(a).toBe(b);
    const [ws] = a;
    await Promise.all([lazy.children(ws), lazy.children(ws)]);
    expect(asked).toEqual([['stepcat.stepTree'], ['stepcat.stepTree', 'shared']]);
    lazy.reset();
    const again = await lazy.children();
    expect(again[0].id).toBe(ws.id); // the same ids: VS Code keeps what was expanded
    expect(asked).toHaveLength(3);
  });

  it('finds the step node of a file through the server, fetching its workspace', async () => {
    const asked: string[][] = [];
    const lazy = new LazyTree(server(asked));
    const step = await lazy.stepOf(`${SHARED}/builders/builder_xgboost_model_step.py`);
    expect([step?.label, step?.parent?.label]).toEqual(['XGBoostModel', 'shared']);
    expect(await lazy.stepOf('file:///ws/README.md')).toBeUndefined();
    expect(asked.filter((a) => a[0] === 'stepcat.stepTree')).toHaveLength(2); // roots, shared's steps
  });

  it('says why there are no rows', async () => {
    const down = new LazyTree(async () => undefined);
    expect(await down.children()).toEqual([]);
    expect(down.message).toContain('not running');
    const failing = new LazyTree(async () => {
      throw new Error('boom');
    });
    expect(await failing.children()).toEqual([]);
    expect(failing.message).toContain('boom');
    const empty = new LazyTree(async () => [{ id: 'shared', kind: 'shared', stepCount: 0 }]);
    const [ws] = await empty.children();
    expect([ws.loaded, collapsible(ws), empty.message]).toEqual([true, false, 'No steps found in this workspace.']);
  });
});

describe('texts', () => {
  it('badges, icons and file names', () => {
    expect(problemText(counts())).toBe('');
    expect(problemText(counts(1, 2, 0, 1))).toBe('1 error, 2 warnings, 1 hint');
    expect(stepIcon({ complete: false, problems: counts() }).id).toBe('circle-large-outline');
    expect(fileName('file:///a%20b/my%20spec.py')).toBe('my spec.py');
    expect(fileName('vscode-notebook-cell:/ws/p.ipynb#W1')).toBe('p.ipynb');
    expect(missingComponents(workspaces()[0].steps[1])).toEqual(['spec']);
  });
});

describe('level answers', () => {
  it('reads steps, components and owners leniently', () => {
    expect(parseTreeSteps(null)).toBeUndefined();
    expect(parseTreeSteps([{ name: 'A', missing: ['spec', 3] }, { name: '' }])?.map((s) => [s.name, s.missing])).toEqual([['A', ['spec']]]);
    expect(parseTreeComponents({})).toBeUndefined();
    expect(parseTreeComponents([{ label: 'script', present: true }, {}])?.map((c) => c.label)).toEqual(['script']);
    expect(parseTreeOwners([{ workspace: 'shared', step: 'A' }, { workspace: 1 }, 'x'])).toEqual([{ workspace: 'shared', step: 'A' }]);
    expect(parseTreeOwners(null)).toEqual([]);
  });
});

describe('parseStepTree', () => {
  it('passes a well-formed answer through', () => {
    expect(parseStepTree(JSON.parse(JSON.stringify(workspaces())))).toEqual(workspaces());
  });

  it('drops what has no id or name and defaults wrong fields', () => {
    expect(parseStepTree(null)).toBeUndefined();
    expect(parseStepTree({ workspaces: [] })).toBeUndefined();
    const [ws] = parseStepTree([
      { id: 'x', kind: 'cloud', readOnly: 'yes', steps: [{ name: 'A', layout: '2.0', components: [{ label: 'script', present: 1 }, { present: true }] }, { name: '' }] },
      { kind: 'shared' },
    ], (uri) => uri) ?? [];
    expect(ws).toEqual({
      id: 'x',
      kind: 'shared',
      root: null,
      readOnly: false,
      steps: [
        {
          name: 'A',
          sagemakerStepType: null,
          layout: '1.x',
          complete: false,
          problems: counts(),
          location: null,
          components: [{ label: 'script', present: false, required: false, location: null }],
          variants: [],
        },
      ],
    });
  });
});
