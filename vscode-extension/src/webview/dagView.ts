/**
 * The DAG view's script, bundled into `dist/dagView.js` and run inside the webview. Thin: the
 * pure modules turn the graph into an SVG element tree (dagre does the layout); this file measures
 * text, builds DOM nodes from that tree and posts clicks back to the extension.
 */

import type { Metrics } from '../dag/layout';
import { placeGraph } from '../dag/layout';
import { Direction, FromWebview, ToWebview, parseToWebview } from '../dag/messages';
import { toViewGraph } from '../dag/model';
import { Element as Spec, renderSvg } from '../dag/svg';

interface State {
  direction: Direction;
  fit: boolean;
}

declare function acquireVsCodeApi(): {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: State): void;
};

const SVG_NS = 'http://www.w3.org/2000/svg';
const vscodeApi = acquireVsCodeApi();
const saved = vscodeApi.getState() as Partial<State> | undefined;
const state: State = { direction: saved?.direction === 'LR' ? 'LR' : 'TB', fit: saved?.fit === true };
let current: Extract<ToWebview, { type: 'graph' }> | undefined;
let selected: string | null = null;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const graphBox = byId<HTMLDivElement>('graph');

function metrics(): Metrics {
  const style = getComputedStyle(document.body);
  const size = parseFloat(style.fontSize) || 13;
  const context = document.createElement('canvas').getContext('2d');
  const measure = (text: string, bold: boolean): number => {
    if (context === null) {
      return text.length * size * 0.6;
    }
    context.font = `${bold ? '600 ' : ''}${style.fontSize} ${style.fontFamily}`;
    return context.measureText(text).width;
  };
  return { measure, lineHeight: Math.round(size * 1.45), padding: 8, minWidth: 96 };
}

function build(spec: Spec): SVGElement {
  const node = document.createElementNS(SVG_NS, spec.tag);
  for (const [name, value] of Object.entries(spec.attrs)) {
    node.setAttribute(name, value);
  }
  if (spec.text !== undefined) {
    node.textContent = spec.text;
  }
  spec.children.forEach((child) => node.appendChild(build(child)));
  return node;
}

function showNotice(text: string | null): void {
  const notice = byId<HTMLParagraphElement>('notice');
  notice.hidden = text === null;
  notice.textContent = text ?? '';
}

function draw(): void {
  if (current === undefined) {
    return;
  }
  const { graph, file } = current;
  byId('title').textContent = graph.name || 'DAG';
  byId('file').textContent = file;
  const problems = byId<HTMLUListElement>('problems');
  problems.replaceChildren(
    ...graph.problems.map((p) => Object.assign(document.createElement('li'), { textContent: p })),
  );
  problems.hidden = graph.problems.length === 0;
  showNotice(graph.nodes.length === 0 ? 'This DAG has no nodes yet.' : null);
  const m = metrics();
  const svg = build(renderSvg(placeGraph(toViewGraph(graph), m, state.direction), m));
  svg.classList.toggle('fit', state.fit);
  graphBox.replaceChildren(svg);
  select(selected);
  byId('direction').title = state.direction === 'TB' ? 'Lay out left to right' : 'Lay out top to bottom';
}

function select(id: string | null): void {
  selected = id;
  for (const node of graphBox.querySelectorAll<SVGGElement>('g.node')) {
    const on = node.dataset.id === id;
    node.classList.toggle('selected', on);
    if (on) {
      node.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    }
  }
}

function open(target: EventTarget | null): void {
  const element = target instanceof Element ? target : null;
  const node = element?.closest<SVGGElement>('g.node');
  const edge = element?.closest<SVGGElement>('g.edge');
  if (node?.dataset.id !== undefined) {
    vscodeApi.postMessage({ type: 'openNode', id: node.dataset.id });
  } else if (edge?.dataset.index !== undefined) {
    vscodeApi.postMessage({ type: 'openEdge', index: Number(edge.dataset.index) });
  }
}

graphBox.addEventListener('click', (event) => open(event.target));
graphBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    open(event.target);
  }
});
byId('direction').addEventListener('click', () => {
  state.direction = state.direction === 'TB' ? 'LR' : 'TB';
  vscodeApi.setState(state);
  draw();
});
byId('fit').addEventListener('click', () => {
  state.fit = !state.fit;
  vscodeApi.setState(state);
  graphBox.querySelector('svg')?.classList.toggle('fit', state.fit);
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToWebview(event.data);
  if (message?.type === 'graph') {
    current = message;
    draw();
  } else if (message?.type === 'notice') {
    current = undefined;
    graphBox.replaceChildren();
    byId('title').textContent = '';
    byId('file').textContent = '';
    byId<HTMLUListElement>('problems').hidden = true;
    showNotice(message.text);
  } else if (message?.type === 'select') {
    select(message.id);
  }
});

vscodeApi.postMessage({ type: 'ready' });
