import { describe, expect, it } from 'vitest';

import { PROBE, parseProbe } from '../src/probe';
import {
  Bundle,
  Inputs,
  Machine,
  Probe,
  bundledPythonPath,
  commandFor,
  isPythonInterpreter,
  notFoundMessage,
  resolveServerCommand,
  searchPath,
  tooOld,
  versionWarning,
} from '../src/serverCommand';

/**
 * A machine: executables, what each interpreter answers alone (`own`) and with the bundled
 * libraries (`bundled`), and what PATH holds. Probes are recorded as `python` or `python+libs`.
 */
function machine(opts: {
  executables?: string[];
  own?: Record<string, Probe>;
  bundled?: Record<string, Probe>;
  onPath?: Record<string, string>;
}): Machine & { probed: string[] } {
  const probed: string[] = [];
  return {
    probed,
    isExecutableFile: async (p) => (opts.executables ?? []).includes(p),
    probe: async (python, libs) => {
      probed.push(libs ? `${python}+libs` : python);
      const answers = libs ? opts.bundled : opts.own;
      return answers?.[python] ?? { version: '3.11.7', error: "ModuleNotFoundError: No module named 'stepcat_server'", missing: 'stepcat_server' };
    },
    findOnPath: async (name) => opts.onPath?.[name],
  };
}

const OK: Probe = { version: '3.11.7', server: '0.1.0' };
const LIBS = '/ext/bundled/libs';
const bundle: Bundle = { libs: LIBS, target: 'linux-x64', needsFromEnvironment: [] };
const base: Inputs = { serverPath: '', serverArgs: [], bundle, delimiter: ':' };
const VENV = '/proj/.venv/bin/python';

describe('resolveServerCommand: the bundled server', () => {
  it('runs the Python extension interpreter with the bundled libraries first on PYTHONPATH', async () => {
    const m = machine({ bundled: { [VENV]: OK }, onPath: { stepcat: '/usr/bin/stepcat' } });
    const res = await resolveServerCommand({ ...base, pythonInterpreter: VENV, pythonPath: '/mine' }, m);
    expect(res.command).toEqual({
      command: VENV,
      args: ['-m', 'stepcat_server'],
      source: 'bundled',
      env: { PYTHONPATH: `${LIBS}:/mine` },
      python: VENV,
    });
    // the interpreter's own packages are not asked for, and PATH's `stepcat` is never used
    expect(m.probed).toEqual([`${VENV}+libs`]);
  });

  it('prefers stepcat.interpreter over the Python extension, expanding ~ and bare names', async () => {
    const m = machine({ bundled: { '/home/u/py/bin/python3': OK, '/usr/bin/python3.12': OK }, onPath: { 'python3.12': '/usr/bin/python3.12' } });
    const home = await resolveServerCommand({ ...base, interpreter: '~/py/bin/python3', home: '/home/u', pythonInterpreter: VENV }, m);
    expect(home.command?.command).toBe('/home/u/py/bin/python3');
    const bare = await resolveServerCommand({ ...base, interpreter: 'python3.12' }, m);
    expect(bare.command?.command).toBe('/usr/bin/python3.12');
  });

  it('falls back to python3 on PATH when no interpreter is selected', async () => {
    const m = machine({ bundled: { '/usr/bin/python3': OK }, onPath: { python3: '/usr/bin/python3', python: '/usr/bin/python' } });
    const res = await resolveServerCommand(base, m);
    expect(res.command).toMatchObject({ command: '/usr/bin/python3', source: 'bundled' });
    expect(res.tried).toEqual(['no `stepcat.interpreter` and no interpreter selected in the Python extension']);
  });

  it('explains an interpreter that is too old, then tries the next', async () => {
    const m = machine({ bundled: { '/usr/bin/python3.8': { version: '3.8.18' }, [VENV]: OK } });
    const res = await resolveServerCommand({ ...base, interpreter: '/usr/bin/python3.8', pythonInterpreter: VENV }, m);
    expect(res.command?.command).toBe(VENV);
    expect(res.tried).toEqual(["stepcat.interpreter '/usr/bin/python3.8' is Python 3.8.18; stepcat needs 3.10 or later"]);
  });

  it('says what to install when the universal build meets an interpreter without pydantic', async () => {
    const universal: Bundle = { libs: LIBS, target: 'universal', needsFromEnvironment: ['pydantic', 'pydantic-core'] };
    const missing = { version: '3.12.1', error: "ModuleNotFoundError: No module named 'pydantic'", missing: 'pydantic' };
    const res = await resolveServerCommand({ ...base, bundle: universal, pythonInterpreter: VENV }, machine({ bundled: { [VENV]: missing } }));
    expect(res.command).toBeUndefined();
    const message = notFoundMessage(res);
    expect(message).toContain(`\`'${VENV}' -m pip install 'pydantic>=2.5,<3'\``);
    expect(message).toContain('the stepcat .vsix built for your platform');
    expect(message).toContain("has no pydantic, which this build of the extension (universal) leaves to the interpreter");
    expect(message).not.toContain('pip install stepcat');
  });

  it('reports an interpreter that does not run', async () => {
    const m = machine({ bundled: { '/gone/python': { error: 'spawn /gone/python ENOENT' } } });
    const res = await resolveServerCommand({ ...base, interpreter: '/gone/python' }, m);
    expect(res.tried).toContain("stepcat.interpreter '/gone/python' did not run (spawn /gone/python ENOENT)");
    expect(notFoundMessage(res)).toContain('select a Python 3.10+ interpreter');
  });

  it('says there is no interpreter at all', async () => {
    const res = await resolveServerCommand(base, machine({}));
    expect(res.command).toBeUndefined();
    expect(res.tried).toEqual([
      'no `stepcat.interpreter` and no interpreter selected in the Python extension',
      "neither 'python3' nor 'python' is on PATH",
    ]);
    expect(notFoundMessage(res)).toContain('in a remote window: in the Remote settings');
  });
});

describe('resolveServerCommand: a server found elsewhere', () => {
  it('uses a stepcat executable from the setting with `serve` and the extra args', async () => {
    const m = machine({ executables: ['/opt/bin/stepcat'], bundled: { [VENV]: OK } });
    const res = await resolveServerCommand(
      { ...base, serverPath: '/opt/bin/stepcat', serverArgs: ['--log-file', '/tmp/s.log'], pythonInterpreter: VENV },
      m,
    );
    expect(res.command).toEqual({ command: '/opt/bin/stepcat', args: ['serve', '--log-file', '/tmp/s.log'], source: 'setting' });
    expect(m.probed).toEqual([]);
  });

  it('looks a bare name up on PATH only when the setting names it (opt-in)', async () => {
    const m = machine({ executables: ['/usr/local/bin/stepcat'], onPath: { stepcat: '/usr/local/bin/stepcat' } });
    const res = await resolveServerCommand({ ...base, serverPath: 'stepcat' }, m);
    expect(res.command).toMatchObject({ command: '/usr/local/bin/stepcat', source: 'setting' });
  });

  it('runs a Python interpreter from the setting as `-m stepcat_server` once it imports it alone', async () => {
    const py = '/venv/bin/python3.12';
    const m = machine({ executables: [py], own: { [py]: OK } });
    const res = await resolveServerCommand({ ...base, serverPath: py }, m);
    expect(res.command).toEqual({ command: py, args: ['-m', 'stepcat_server'], source: 'setting', python: py });
    expect(m.probed).toEqual([py]);
  });

  it('falls back to the bundled server when the setting does not work, saying why', async () => {
    const m = machine({ executables: ['/usr/bin/python3'], bundled: { [VENV]: OK } });
    const res = await resolveServerCommand({ ...base, serverPath: '/usr/bin/python3', pythonInterpreter: VENV }, m);
    expect(res.command?.source).toBe('bundled');
    expect(res.tried[0]).toMatch(/^stepcat.server.path: '\/usr\/bin\/python3' cannot import stepcat_server/);
    const gone = await resolveServerCommand({ ...base, serverPath: '/nowhere/stepcat', pythonInterpreter: VENV }, m);
    expect(gone.tried[0]).toBe("stepcat.server.path: '/nowhere/stepcat' is not an executable file");
  });

  it('uses the environment first under importStrategy fromEnvironment, then the bundle', async () => {
    const m = machine({ own: { [VENV]: { version: '3.11.7', server: '0.2.0' } }, bundled: { '/usr/bin/python3': OK } });
    const own = await resolveServerCommand({ ...base, importStrategy: 'fromEnvironment', pythonInterpreter: VENV }, m);
    expect(own.command).toEqual({ command: VENV, args: ['-m', 'stepcat_server'], source: 'environment', python: VENV });
    const fallback = await resolveServerCommand({ ...base, importStrategy: 'fromEnvironment', interpreter: '/usr/bin/python3' }, m);
    expect(fallback.command?.source).toBe('bundled');
    expect(fallback.tried).toEqual(["stepcat.interpreter '/usr/bin/python3' has no stepcat installed"]);
  });

  it('uses the environment without a bundle (a development build) and says so when it fails', async () => {
    const m = machine({ own: { [VENV]: OK } });
    const res = await resolveServerCommand({ ...base, bundle: undefined, pythonInterpreter: VENV }, m);
    expect(res.command?.source).toBe('environment');
    const none = await resolveServerCommand({ ...base, bundle: undefined, pythonInterpreter: '/x/python' }, m);
    expect(notFoundMessage(none)).toContain('no bundled server');
  });
});

describe('versionWarning', () => {
  const command = { command: '/usr/bin/stepcat', args: ['serve'], source: 'setting' as const };
  it('is silent when the versions agree or the server does not say', () => {
    expect(versionWarning('0.1.0', '0.1.0', command)).toBeUndefined();
    expect(versionWarning('0.1.0', undefined, command)).toBeUndefined();
  });
  it('names both versions and where the server came from', () => {
    expect(versionWarning('0.1.0', '0.0.9', command)).toContain('(/usr/bin/stepcat, from setting) is version 0.0.9, the extension 0.1.0');
  });
});

describe('probe', () => {
  it('reads the probe line among other output', () => {
    expect(parseProbe('noise\nSTEPCAT-PROBE {"version": "3.11.7", "server": "0.1.0", "missing": null}\n', '', undefined)).toEqual(OK);
  });
  it('reports a crash with the last line of stderr', () => {
    expect(parseProbe('', 'Traceback...\nSyntaxError: bad\n', 'exit 1')).toEqual({ error: 'SyntaxError: bad' });
    expect(parseProbe('', '', 'spawn x ENOENT')).toEqual({ error: 'spawn x ENOENT' });
  });
  it('is a Python 2 compatible script that guards the import by version', () => {
    expect(PROBE).not.toMatch(/f"/);
    expect(PROBE).toContain('if sys.version_info >= (3, 10):');
  });
  it('knows which versions are too old', () => {
    expect(tooOld('3.9.18')).toBe(true);
    expect(tooOld('2.7.18')).toBe(true);
    expect(tooOld('3.10.0')).toBe(false);
    expect(tooOld('4.0.0')).toBe(false);
    expect(tooOld(undefined)).toBe(false);
  });
  it('puts the bundled libraries first on PYTHONPATH', () => {
    expect(bundledPythonPath('/libs', undefined, ':')).toBe('/libs');
    expect(bundledPythonPath('C:\\libs', 'D:\\x', ';')).toBe('C:\\libs;D:\\x');
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
    expect(commandFor('/bin/stepcat', ['--tcp', '127.0.0.1:2087'], 'setting').args).toEqual([
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
