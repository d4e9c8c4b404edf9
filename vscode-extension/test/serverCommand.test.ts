import { describe, expect, it } from 'vitest';

import {
  Inputs,
  Machine,
  commandFor,
  isPythonInterpreter,
  notFoundMessage,
  resolveServerCommand,
  searchPath,
} from '../src/serverCommand';

/** A machine with the given executables, interpreters that have the server, and PATH entries. */
function machine(opts: { executables?: string[]; withServer?: string[]; onPath?: string }): Machine & {
  probed: string[];
} {
  const probed: string[] = [];
  return {
    probed,
    isExecutableFile: async (p) => (opts.executables ?? []).includes(p),
    pythonHasServer: async (p) => {
      probed.push(p);
      return (opts.withServer ?? []).includes(p);
    },
    findOnPath: async (name) => (name === 'stepcat' ? opts.onPath : undefined),
  };
}

const base: Inputs = { serverPath: '', serverArgs: [] };

describe('resolveServerCommand', () => {
  it('uses a stepcat executable from the setting with `serve` and the extra args', async () => {
    const m = machine({ executables: ['/opt/bin/stepcat'], onPath: '/usr/bin/stepcat' });
    const res = await resolveServerCommand(
      { ...base, serverPath: '/opt/bin/stepcat', serverArgs: ['--log-file', '/tmp/s.log'] },
      m,
    );
    expect(res.command).toEqual({
      command: '/opt/bin/stepcat',
      args: ['serve', '--log-file', '/tmp/s.log'],
      source: 'setting',
    });
    expect(res.tried).toEqual([]);
  });

  it('runs a Python interpreter from the setting as `-m stepcat_server` once it can import it', async () => {
    const py = '/venv/bin/python3.12';
    const m = machine({ executables: [py], withServer: [py] });
    const res = await resolveServerCommand({ ...base, serverPath: py }, m);
    expect(res.command).toEqual({ command: py, args: ['-m', 'stepcat_server'], source: 'setting' });
    expect(m.probed).toEqual([py]);
  });

  it('expands ~ in the setting', async () => {
    const m = machine({ executables: ['/home/u/.local/bin/stepcat'] });
    const res = await resolveServerCommand(
      { ...base, serverPath: '~/.local/bin/stepcat', home: '/home/u' },
      m,
    );
    expect(res.command?.command).toBe('/home/u/.local/bin/stepcat');
  });

  it('falls back to the Python extension when the setting is not an executable', async () => {
    const m = machine({ withServer: ['/proj/.venv/bin/python'], onPath: '/usr/bin/stepcat' });
    const res = await resolveServerCommand(
      { ...base, serverPath: '/nowhere/stepcat', pythonInterpreter: '/proj/.venv/bin/python' },
      m,
    );
    expect(res.command).toEqual({
      command: '/proj/.venv/bin/python',
      args: ['-m', 'stepcat_server'],
      source: 'python-extension',
    });
    expect(res.tried).toEqual(["stepcat.server.path: '/nowhere/stepcat' is not an executable file"]);
  });

  it('skips a setting interpreter that cannot import the server', async () => {
    const m = machine({ executables: ['/usr/bin/python3'], onPath: '/usr/local/bin/stepcat' });
    const res = await resolveServerCommand({ ...base, serverPath: '/usr/bin/python3' }, m);
    expect(res.command).toEqual({
      command: '/usr/local/bin/stepcat',
      args: ['serve'],
      source: 'path',
    });
    expect(res.tried[0]).toBe("stepcat.server.path: '/usr/bin/python3' cannot import stepcat_server");
  });

  it('uses stepcat on PATH when the Python extension interpreter lacks the server', async () => {
    const m = machine({ onPath: '/usr/local/bin/stepcat' });
    const res = await resolveServerCommand({ ...base, pythonInterpreter: '/usr/bin/python3' }, m);
    expect(res.command?.source).toBe('path');
    expect(res.tried).toEqual([
      "the Python extension's interpreter '/usr/bin/python3' cannot import stepcat_server",
    ]);
  });

  it('reports every candidate when none works', async () => {
    const res = await resolveServerCommand({ ...base, serverPath: 'stepcatx' }, machine({}));
    expect(res.command).toBeUndefined();
    expect(res.tried).toEqual([
      "stepcat.server.path: 'stepcatx' is not an executable file",
      'no interpreter selected in the Python extension (or the extension is not installed)',
      "'stepcat' is not on PATH",
    ]);
    const message = notFoundMessage(res);
    expect(message).toContain('`pip install stepcat`');
    expect(message).toContain('`pip install -e .`');
    expect(message).toContain("Tried: stepcat.server.path: 'stepcatx' is not an executable file;");
  });

  it('names the selected interpreter in the install command', () => {
    const message = notFoundMessage({ tried: [] }, '/proj/.venv/bin/python');
    expect(message).toContain("`'/proj/.venv/bin/python' -m pip install stepcat`");
  });
});

describe('isPythonInterpreter / commandFor', () => {
  it.each([
    ['/usr/bin/python', true],
    ['/usr/bin/python3', true],
    ['/usr/bin/python3.12', true],
    ['C:\\Python312\\python.exe', true],
    ['C:\\Python312\\pythonw.exe', true],
    ['/opt/pypy3', true],
    ['/usr/bin/stepcat', false],
    ['/usr/bin/python-config', false],
    ['/home/u/python/stepcat', false],
  ])('%s -> %s', (path, expected) => {
    expect(isPythonInterpreter(path)).toBe(expected);
  });

  it('puts extra args after the server part', () => {
    expect(commandFor('/bin/stepcat', ['--tcp', '127.0.0.1:2087'], 'path').args).toEqual([
      'serve',
      '--tcp',
      '127.0.0.1:2087',
    ]);
  });
});

describe('searchPath', () => {
  it('returns the first directory on PATH holding the executable', async () => {
    const files = new Set(['/b/stepcat', '/c/stepcat']);
    const found = await searchPath('stepcat', { PATH: '/a:/b/:/c' }, 'linux', async (p) => files.has(p));
    expect(found).toBe('/b/stepcat');
  });

  it('tries PATHEXT extensions on Windows and reads Path', async () => {
    const files = new Set(['C:\\Scripts\\stepcat.exe']);
    const found = await searchPath(
      'stepcat',
      { Path: 'C:\\Windows;C:\\Scripts\\', PATHEXT: '.COM;.EXE' },
      'win32',
      async (p) => files.has(p),
    );
    expect(found).toBe('C:\\Scripts\\stepcat.exe');
  });

  it('is undefined with an empty PATH', async () => {
    expect(await searchPath('stepcat', {}, 'linux', async () => true)).toBeUndefined();
  });
});
