/** The language status item's framework part, on what the server really answers for each way a
 * framework is in use (test/fixtures/status-answers.json, kept current by
 * tests/server/test_status_answers.py). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { frameworkView, statusView } from '../src/presentation';
import type { ServerStatus } from '../src/protocol';

const answers = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'status-answers.json'), 'utf8')) as Record<
  string,
  ServerStatus
>;

const EXPECTED: Record<string, { text: string; detail: string }> = {
  package: {
    text: '$(book) 2 steps · cursus-framework 2.4.0',
    detail: 'stepcat: in 1 workspace (shared) · framework: cursus-framework 2.4.0 (/site/cursus)',
  },
  workspace: {
    text: '$(book) 2 steps',
    detail: 'stepcat: in 1 workspace (shared) · framework: workspace (cursus-framework 2.5.0)',
  },
  none: {
    text: '$(book) 0 steps',
    detail:
      'stepcat: in 1 workspace (shared) · framework: none (no Python environment found: no interpreter setting, ' +
      'no .venv or venv folder in the project, VIRTUAL_ENV and CONDA_PREFIX unset)',
  },
};

describe('the framework in use, in the language status item', () => {
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`shows ${name}`, () => {
      const view = statusView(answers[name]);
      expect({ text: view.text, detail: view.detail }).toEqual(want);
    });
  }

  it('names the environment when it holds no framework', () => {
    const none = {
      in_use: 'none',
      summary: 'no installed framework in /env',
      environment: { prefix: '/env', how: '.venv in the project', python: null, version: '3.11', site_packages: [] },
      packages: [],
      read_only_roots: [],
      notes: ['ignored'],
    };
    expect(frameworkView(none)).toEqual({ tag: '', detail: 'framework: none in /env' });
  });

  it('lists every package in use', () => {
    const two = {
      in_use: 'package',
      packages: [
        { name: 'cursus', distribution: 'cursus-framework', version: '2.4.0', location: '/a/cursus', used_as: 'package' },
        { name: 'steps_extra', distribution: null, version: null, location: '/a/steps_extra', used_as: 'package' },
        { name: 'mine', distribution: 'mine', version: '1.0', location: '/w/mine', used_as: 'workspace' },
      ],
    };
    expect(frameworkView(two)).toEqual({
      tag: 'cursus-framework 2.4.0, steps_extra',
      detail: 'framework: cursus-framework 2.4.0 (/a/cursus), steps_extra (/a/steps_extra)',
    });
  });

  it('says nothing for a server that does not report it, or reports garbage', () => {
    expect(frameworkView(undefined)).toEqual({ tag: '', detail: '' });
    expect(frameworkView([1, 2])).toEqual({ tag: '', detail: '' });
    expect(frameworkView({ in_use: 'package', packages: 'x' })).toEqual({ tag: '', detail: '' });
    expect(frameworkView({ in_use: 'package', summary: 'cursus 1.0 at /x' })).toEqual({
      tag: '',
      detail: 'framework: cursus 1.0 at /x',
    });
    const old = { ...answers.package, framework: undefined } as ServerStatus;
    expect(statusView(old)).toMatchObject({ text: '$(book) 2 steps', detail: 'stepcat: in 1 workspace (shared)' });
  });
});
