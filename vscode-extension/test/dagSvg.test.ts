import { describe, expect, it } from 'vitest';

import { Metrics, placeGraph } from '../src/dag/layout';
import { toViewGraph } from '../src/dag/model';
import { Element, pathThrough, renderSvg } from '../src/dag/svg';
import { trainingDag } from './dagFixtures';

const metrics: Metrics = { measure: (text) => text.length * 7, lineHeight: 18, padding: 8, minWidth: 96 };

function all(e: Element): Element[] {
  return [e, ...e.children.flatMap(all)];
}

describe('pathThrough', () => {
  it('draws a straight line, or smooths the corners', () => {
    expect(pathThrough([])).toBe('');
    expect(pathThrough([{ x: 0, y: 0 }, { x: 10, y: 20 }])).toBe('M0,0 L10,20');
    expect(pathThrough([{ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 10 }, { x: 30.04, y: 0 }])).toBe(
      'M0,0 Q10,10 15,10 Q20,10 25,5 L30,0',
    );
  });
});

describe('renderSvg', () => {
  const graph = trainingDag();
  graph.nodes[3] = { ...graph.nodes[3], id: '<img src=x onerror=alert(1)>' };
  graph.edges.push({ source: graph.nodes[3].id, target: 'Registration', location: null });
  const svg = renderSvg(placeGraph(toViewGraph(graph), metrics), metrics);
  const elements = all(svg);

  it('draws one group per node with its name as text (never markup), tooltip and id', () => {
    const nodes = elements.filter((e) => e.tag === 'g' && e.attrs.class?.startsWith('node '));
    expect(nodes.map((n) => n.attrs['data-id'])).toEqual(graph.nodes.map((n) => n.id));
    const evil = nodes[3];
    expect(evil.children.find((c) => c.attrs.class === 'title')?.text).toBe('<img src=x onerror=alert(1)>');
    expect(evil.children[0]).toMatchObject({ tag: 'title' });
    expect(evil.attrs).toMatchObject({ tabindex: '0', role: 'button' });
    expect(nodes[0].attrs.class).toBe('node status-complete');
  });

  it('draws edges as paths ending in the arrow marker, with a wider hit area', () => {
    const edges = elements.filter((e) => e.tag === 'g' && e.attrs.class === 'edge');
    expect(edges.map((e) => e.attrs['data-index'])).toEqual(['0', '1', '2', '3']);
    const line = edges[0].children.find((c) => c.attrs.class === 'edge-line');
    expect(line?.attrs['marker-end']).toBe('url(#arrow)');
    expect(line?.attrs.d).toMatch(/^M[\d.]+,[\d.]+ /);
    expect(elements.some((e) => e.tag === 'marker' && e.attrs.id === 'arrow')).toBe(true);
  });

  it('sizes the drawing to the layout', () => {
    expect(svg.tag).toBe('svg');
    expect(Number(svg.attrs.width)).toBeGreaterThan(0);
    expect(svg.attrs.viewBox).toBe(`0 0 ${svg.attrs.width} ${svg.attrs.height}`);
  });
});
