import { describe, expect, it } from 'vitest';

import { Tickets, documentKey, followAction } from '../src/dag/follow';

const dag = documentKey({ scheme: 'file', path: '/ws/pipelines/training_dag.py' });
const notebook = documentKey({ scheme: 'file', path: '/ws/nb/pipeline.ipynb' });
const shown = new Set([dag, notebook]);

describe('documentKey', () => {
  it('gives a notebook cell its notebook file key', () => {
    expect(documentKey({ scheme: 'vscode-notebook-cell', path: '/ws/nb/pipeline.ipynb' })).toBe(notebook);
    // code-server: cells carry the remote authority, the notebook file URI has none
    expect(documentKey({ scheme: 'vscode-notebook-cell', authority: '127.0.0.1:42271', path: '/ws/nb/pipeline.ipynb' })).toBe(notebook);
    expect(documentKey({ scheme: 'untitled', path: 'Untitled-1' })).not.toBe(documentKey({ scheme: 'file', path: 'Untitled-1' }));
    expect(documentKey({ scheme: 'vscode-remote', authority: 'ssh-remote+box', path: '/a.py' })).toBe('vscode-remote://ssh-remote+box/a.py');
  });
});

describe('followAction', () => {
  it('re-queries on edits of the DAG (or its notebook cells) only', () => {
    expect(followAction({ kind: 'edit', key: dag }, shown)).toBe('requery');
    expect(followAction({ kind: 'edit', key: documentKey({ scheme: 'vscode-notebook-cell', path: '/ws/nb/pipeline.ipynb' }) }, shown)).toBe('requery');
    expect(followAction({ kind: 'edit', key: 'file:///ws/other.py' }, shown)).toBe('ignore');
  });

  it('re-queries on any save and on a catalog change', () => {
    expect(followAction({ kind: 'save' }, shown)).toBe('requery');
    expect(followAction({ kind: 'catalogChanged' }, shown)).toBe('requery');
  });

  it('probes another Python or JSON editor, ignores the same DAG and other languages', () => {
    expect(followAction({ kind: 'activeEditor', key: 'file:///ws/other_dag.py', languageId: 'python' }, shown)).toBe('probe');
    expect(followAction({ kind: 'activeEditor', key: 'file:///ws/x.dag.json', languageId: 'json' }, shown)).toBe('probe');
    expect(followAction({ kind: 'activeEditor', key: dag, languageId: 'python' }, shown)).toBe('ignore');
    expect(followAction({ kind: 'activeEditor', key: 'file:///ws/README.md', languageId: 'markdown' }, shown)).toBe('ignore');
    expect(followAction({ kind: 'activeEditor', key: 'file:///ws/a.step.yaml', languageId: 'yaml' }, shown)).toBe('ignore');
  });
});

describe('Tickets', () => {
  it('only the latest answer counts', () => {
    const tickets = new Tickets();
    const first = tickets.take();
    const second = tickets.take();
    expect(tickets.isLatest(first)).toBe(false);
    expect(tickets.isLatest(second)).toBe(true);
  });
});
