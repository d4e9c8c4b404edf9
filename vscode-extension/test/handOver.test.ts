// The project's interpreter handed to the server: which one, and what a change of the Python
// extension's selection does (restart the server, tell it, or nothing).
import { describe, expect, it } from 'vitest';

import {
  EnvironmentsApi,
  HandOver,
  InterpreterChange,
  activeInterpreter,
  handOver,
  pythonSetting,
  reactToInterpreterChange,
  runsOnSelected,
} from '../src/handOver';

/** A fake of the Python extension's `environments` API: one active environment per folder
 * (key '' for the window), resolved to an executable unless listed as unresolvable. */
function fakeEnvironments(
  active: Record<string, string>,
  unresolvable: string[] = [],
): EnvironmentsApi<string> {
  return {
    getActiveEnvironmentPath: (resource?: string) => {
      const path = active[resource ?? ''] ?? active[''];
      return path === undefined ? undefined : { id: path, path };
    },
    resolveEnvironment: async (env) => {
      const path = typeof env === 'string' ? env : env.path;
      if (path === 'boom') {
        throw new Error('refresh in progress');
      }
      return unresolvable.includes(path) ? undefined : { executable: { uri: { fsPath: `${path}/bin/python` } } };
    },
  };
}

describe('the interpreter selected in the Python extension', () => {
  it('is the executable of the environment active for the folder', async () => {
    const api = fakeEnvironments({ '': '/envs/global', 'file:///a': '/a/.venv', 'file:///b': '/b/.venv' });
    expect(await activeInterpreter(api, 'file:///a')).toBe('/a/.venv/bin/python');
    expect(await activeInterpreter(api, 'file:///b')).toBe('/b/.venv/bin/python');
    expect(await activeInterpreter(api, 'file:///c')).toBe('/envs/global/bin/python');
    expect(await activeInterpreter(api)).toBe('/envs/global/bin/python');
  });

  it('is the environment path when it does not resolve, and nothing on errors or without the extension', async () => {
    expect(await activeInterpreter(fakeEnvironments({ '': '/envs/odd' }, ['/envs/odd']))).toBe('/envs/odd');
    expect(await activeInterpreter(fakeEnvironments({ '': 'boom' }))).toBeUndefined();
    expect(await activeInterpreter(fakeEnvironments({}))).toBeUndefined();
    expect(await activeInterpreter(undefined, 'file:///a')).toBeUndefined();
  });
});

describe('the interpreter handed over', () => {
  const cases: [string, unknown, string | undefined, HandOver][] = [
    ['stepcat.python wins', '/p/.venv/bin/python', '/sel/bin/python', { python: '/p/.venv/bin/python', source: 'stepcat.python' }],
    ['else the selection', '', '/sel/bin/python', { python: '/sel/bin/python', source: 'Python extension' }],
    ['no Python extension: stepcat.python', ' .venv ', undefined, { python: '.venv', source: 'stepcat.python' }],
    ['no Python extension, no setting: discovery', undefined, undefined, { python: undefined, source: 'discovery' }],
    ['a setting of the wrong type is no setting', 42, undefined, { python: undefined, source: 'discovery' }],
  ];
  for (const [name, setting, selected, want] of cases) {
    it(name, () => expect(handOver(setting, selected)).toEqual(want));
  }

  it('is sent as null when there is none, so it replaces an earlier one', () => {
    expect(pythonSetting({ python: undefined, source: 'discovery' })).toEqual({ python: null });
    expect(pythonSetting(undefined)).toEqual({ python: null });
    expect(pythonSetting({ python: '/x/bin/python', source: 'stepcat.python' })).toEqual({ python: '/x/bin/python' });
  });
});

describe('the server process', () => {
  const bundled = { source: 'bundled', python: '/sel/bin/python' };
  it('runs on the selection only when nothing else chose its interpreter', () => {
    expect(runsOnSelected(bundled, '', '/sel/bin/python')).toBe(true);
    expect(runsOnSelected({ source: 'environment', python: '/sel/bin/python' }, undefined, '/sel/bin/python')).toBe(true);
    expect(runsOnSelected(bundled, '/usr/bin/python3', '/sel/bin/python')).toBe(false); // stepcat.interpreter
    expect(runsOnSelected({ source: 'setting' }, '', '/sel/bin/python')).toBe(false); // stepcat.server.path
    expect(runsOnSelected({ source: 'bundled', python: '/usr/bin/python3' }, '', '/sel/bin/python')).toBe(false);
    expect(runsOnSelected(bundled, '', undefined)).toBe(false);
    expect(runsOnSelected(undefined, '', '/sel/bin/python')).toBe(false);
  });
});

describe('a change of the selection', () => {
  const sel = (python: string | undefined): HandOver => handOver('', python);
  const base: InterpreterChange = {
    active: true,
    changedFolder: undefined,
    serverFolder: 'file:///a',
    serverRunsOnSelected: false,
    selectedBefore: '/old/bin/python',
    selectedNow: '/new/bin/python',
    previous: sel('/old/bin/python'),
    next: sel('/new/bin/python'),
  };
  const cases: [string, Partial<InterpreterChange>, string][] = [
    ['tells the server the new interpreter (it reindexes)', {}, 'tell'],
    ['restarts a server that runs on the selected interpreter', { serverRunsOnSelected: true }, 'restart'],
    ["for the server's folder", { changedFolder: 'file:///a' }, 'tell'],
    ["for another folder: nothing (the server uses the first folder's)", { changedFolder: 'file:///b', serverRunsOnSelected: true }, 'ignore'],
    ['with stepcat.python set: nothing to hand over', { previous: handOver('/p/python', '/old'), next: handOver('/p/python', '/new') }, 'ignore'],
    ['with stepcat.python set, a server on the selection still restarts', { previous: handOver('/p/python', '/old'), next: handOver('/p/python', '/new'), serverRunsOnSelected: true }, 'restart'],
    ['repeating the selection: nothing', { selectedNow: '/old/bin/python', next: sel('/old/bin/python'), serverRunsOnSelected: true }, 'ignore'],
    ['unselected: the server discovers the environment', { selectedNow: undefined, next: sel(undefined) }, 'tell'],
    ['no catalog here (the server does not run): nothing', { active: false, serverRunsOnSelected: true }, 'ignore'],
  ];
  for (const [name, over, want] of cases) {
    it(name, () => expect(reactToInterpreterChange({ ...base, ...over })).toBe(want));
  }
});
