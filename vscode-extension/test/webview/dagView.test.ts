// @vitest-environment happy-dom
/** The webview script in a DOM (happy-dom): it draws the graph it is sent and posts clicks back. */

import { beforeAll, describe, expect, it } from 'vitest';

import { dagViewHtml } from '../../src/dag/html';
import type { FromWebview, ToWebview } from '../../src/dag/messages';
import { trainingDag } from '../dagFixtures';

const posted: FromWebview[] = [];
let state: unknown;

function send(message: ToWebview | Record<string, unknown>): void {
  window.dispatchEvent(new MessageEvent('message', { data: message }));
}

beforeAll(async () => {
  const html = dagViewHtml({ cspSource: 'vscode-resource:', nonce: 'n', scriptUri: 'dagView.js', styleUri: 'dagView.css' });
  const body = /<body>([\s\S]*)<script/.exec(html)?.[1] ?? '';
  document.body.innerHTML = body;
  Object.assign(globalThis, {
    acquireVsCodeApi: () => ({
      postMessage: (m: FromWebview) => posted.push(m),
      getState: () => state,
      setState: (s: unknown) => {
        state = s;
      },
    }),
  });
  await import('../../src/webview/dagView');
});

const nodes = () => [...document.querySelectorAll<SVGGElement>('#graph g.node')];

describe('DAG webview script', () => {
  it('says it is ready', () => {
    expect(posted[0]).toEqual({ type: 'ready' });
  });

  it('draws the nodes and edges it is sent, with the graph name and file', () => {
    send({ type: 'graph', graph: trainingDag(), file: 'pipelines/training_dag.py' });
    expect(nodes().map((n) => n.getAttribute('data-id'))).toEqual(trainingDag().nodes.map((n) => n.id));
    expect(document.querySelectorAll('#graph g.edge path.edge-line')).toHaveLength(3);
    expect(document.getElementById('title')?.textContent).toBe('xgboost_training');
    expect(document.getElementById('file')?.textContent).toBe('pipelines/training_dag.py');
    expect(document.getElementById('notice')?.hidden).toBe(true);
    expect(nodes()[1].getAttribute('class')).toBe('node status-incomplete');
  });

  it('posts the clicked node and edge', () => {
    posted.length = 0;
    nodes()[0].querySelector('text')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    document.querySelector('#graph g.edge path')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(posted).toEqual([
      { type: 'openNode', id: 'CradleDataLoading_training' },
      { type: 'openEdge', index: 0 },
    ]);
  });

  it('marks the selected node', () => {
    send({ type: 'select', id: 'XGBoostTraining' });
    expect(nodes().filter((n) => n.classList.contains('selected')).map((n) => n.dataset.id)).toEqual(['XGBoostTraining']);
  });

  it('switches direction and remembers it', () => {
    (document.getElementById('direction') as HTMLButtonElement).click();
    expect(state).toEqual({ direction: 'LR', fit: false });
    expect(nodes()).toHaveLength(5);
  });

  it('shows a notice instead of a graph, and ignores malformed messages', () => {
    send({ type: 'notice', text: 'No DAG at training_dag.py:3.' });
    expect(nodes()).toHaveLength(0);
    expect(document.getElementById('notice')?.textContent).toBe('No DAG at training_dag.py:3.');
    send({ type: 'graph', graph: { nodes: 'x' }, file: 'f' });
    expect(document.getElementById('notice')?.textContent).toBe('No DAG at training_dag.py:3.');
  });
});
