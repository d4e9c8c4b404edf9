/**
 * Which command starts the stepcat language server. Pure: every look at the machine (files, PATH,
 * what an interpreter can import) is passed in, so each branch is unit-tested.
 *
 * The .vsix carries the server and its libraries in `bundled/libs` (scripts/bundle.py); it runs
 * as `PYTHON -m stepcat_server` with that folder first on PYTHONPATH. Order:
 *
 * 1. `stepcat.server.path`, when set: a `stepcat` executable (`serve`), a Python interpreter that
 *    has stepcat installed (`-m stepcat_server`), or a bare name looked up on PATH (opt-in: an
 *    unrelated npm tool is also called `stepcat`, so PATH is never searched otherwise);
 * 2. each interpreter in turn — `stepcat.interpreter`, else the Python extension's, else
 *    `python3` / `python` on PATH — with, under `stepcat.importStrategy: fromEnvironment`, the
 *    stepcat installed in it first, then the bundled server.
 *
 * When none works the answer says what was tried and what to do.
 */

export const SERVER_MODULE = 'stepcat_server';
export const MIN_PYTHON: [number, number] = [3, 10];

export type Source = 'setting' | 'environment' | 'bundled';
export type ImportStrategy = 'useBundled' | 'fromEnvironment';

export interface ServerCommand {
  command: string;
  args: string[];
  source: Source;
  /** Variables set for the server on top of the extension host's environment. */
  env?: Record<string, string>;
  /** The interpreter, when the server runs as `-m stepcat_server`. */
  python?: string;
}

/** What `python -c PROBE` reports (see machine.ts). */
export interface Probe {
  /** `3.11.7`; undefined when the interpreter did not run. */
  version?: string;
  /** stepcat_server.__version__ when it imported. */
  server?: string;
  /** `ModuleNotFoundError: No module named 'pydantic_core'`, or why it did not run. */
  error?: string;
  /** The module that was missing, when an import failed for that reason. */
  missing?: string;
}

/** What resolution asks of the machine. */
export interface Machine {
  /** True when `path` is an existing file this user may execute. */
  isExecutableFile(path: string): Promise<boolean>;
  /** Runs `python` (with `libs` first on PYTHONPATH when given): its version, does it import the server. */
  probe(python: string, libs: string | undefined): Promise<Probe>;
  /** The full path of `name` on PATH, if any. */
  findOnPath(name: string): Promise<string | undefined>;
}

/** What bundled/libs/BUNDLE.json says (scripts/bundle.py). */
export interface Bundle {
  libs: string;
  target: string;
  /** Distributions the bundle leaves to the interpreter (the universal build: pydantic). */
  needsFromEnvironment: string[];
}

export interface Inputs {
  /** `stepcat.server.path` (may be empty). */
  serverPath: string;
  /** `stepcat.server.args`, appended after `serve` / `-m stepcat_server`. */
  serverArgs: string[];
  /** `stepcat.interpreter` (may be empty). */
  interpreter?: string;
  /** The Python extension's interpreter for the workspace, when that extension is installed. */
  pythonInterpreter?: string;
  importStrategy?: ImportStrategy;
  /** The bundled server, when the extension has one. */
  bundle?: Bundle;
  /** The extension host's PYTHONPATH, kept after the bundled libraries. */
  pythonPath?: string;
  /** `:` or `;`. */
  delimiter?: string;
  /** The user's home, to expand a leading `~` in the settings. */
  home?: string;
}

export interface Resolution {
  command?: ServerCommand;
  /** One line per candidate that did not work, in order. */
  tried: string[];
  /** What to tell the user when nothing worked (install commands, settings). */
  hints: string[];
}

const PYTHON_NAME = /^(python|pypy)(\d+(\.\d+)*)?w?(\.exe)?$/i;

/** True for `python`, `python3`, `python3.12`, `pythonw.exe`, `pypy3`...: run it with `-m`. */
export function isPythonInterpreter(path: string): boolean {
  const name = path.split(/[\\/]/).pop() ?? '';
  return PYTHON_NAME.test(name);
}

export function expandHome(path: string, home: string | undefined): string {
  if (home && (path === '~' || path.startsWith('~/') || path.startsWith('~\\'))) {
    return home + path.slice(1);
  }
  return path;
}

/** A bare name (`stepcat`, `python3`) rather than a path: looked up on PATH. */
export function isBareName(path: string): boolean {
  return !/[\\/]/.test(path);
}

/** The command line for an executable: a Python interpreter runs the module, anything else `serve`. */
export function commandFor(executable: string, extraArgs: string[], source: Source): ServerCommand {
  if (isPythonInterpreter(executable)) {
    return { command: executable, args: ['-m', SERVER_MODULE, ...extraArgs], source, python: executable };
  }
  return { command: executable, args: ['serve', ...extraArgs], source };
}

/** `[3, 11]` from `3.11.7`; undefined when unreadable. */
export function parseVersion(version: string | undefined): [number, number] | undefined {
  const found = /^(\d+)\.(\d+)/.exec(version ?? '');
  return found ? [Number(found[1]), Number(found[2])] : undefined;
}

export function tooOld(version: string | undefined): boolean {
  const v = parseVersion(version);
  return v !== undefined && (v[0] < MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] < MIN_PYTHON[1]));
}

/** PYTHONPATH with the bundled libraries first. */
export function bundledPythonPath(libs: string, existing: string | undefined, delimiter: string): string {
  return existing ? `${libs}${delimiter}${existing}` : libs;
}

const PYDANTIC = 'pydantic>=2.5,<3';
const MIN = `${MIN_PYTHON[0]}.${MIN_PYTHON[1]}`;

/** Why a probe failed, in words, and what to do about it (or undefined). */
function explain(where: string, probe: Probe, python: string, bundle: Bundle | undefined): [string, string?] {
  if (probe.version === undefined) {
    return [`${where} '${python}' did not run (${probe.error ?? 'no answer'})`];
  }
  if (tooOld(probe.version)) {
    return [
      `${where} '${python}' is Python ${probe.version}; stepcat needs ${MIN} or later`,
      `select a Python ${MIN}+ interpreter (Python: Select Interpreter, or the \`stepcat.interpreter\` setting)`,
    ];
  }
  const missing = probe.missing ?? '';
  if (bundle && /^pydantic/.test(missing) && bundle.needsFromEnvironment.length > 0) {
    return [
      `${where} '${python}' (Python ${probe.version}) has no ${missing}, which this build of the extension (${bundle.target}) leaves to the interpreter`,
      `run \`'${python}' -m pip install '${PYDANTIC}'\`, or install the stepcat .vsix built for your platform`,
    ];
  }
  return [`${where} '${python}' (Python ${probe.version}) cannot run the server: ${probe.error ?? 'unknown error'}`];
}

async function fromSetting(inputs: Inputs, machine: Machine, out: Resolution): Promise<ServerCommand | undefined> {
  const setting = expandHome(inputs.serverPath.trim(), inputs.home);
  if (!setting) {
    return undefined;
  }
  const found = isBareName(setting) ? await machine.findOnPath(setting) : setting;
  if (found === undefined) {
    out.tried.push(`stepcat.server.path: '${setting}' is not on PATH`);
    return undefined;
  }
  if (!(await machine.isExecutableFile(found))) {
    out.tried.push(`stepcat.server.path: '${found}' is not an executable file`);
    return undefined;
  }
  if (isPythonInterpreter(found)) {
    const probe = await machine.probe(found, undefined);
    if (probe.server === undefined) {
      out.tried.push(`stepcat.server.path: '${found}' cannot import ${SERVER_MODULE} (${probe.error ?? 'not installed'})`);
      return undefined;
    }
  }
  return commandFor(found, inputs.serverArgs, 'setting');
}

/** The interpreters to try, in order, each with where it came from. */
async function interpreters(inputs: Inputs, machine: Machine, out: Resolution): Promise<[string, string][]> {
  const candidates: [string, string][] = [];
  const setting = expandHome(inputs.interpreter?.trim() ?? '', inputs.home);
  if (setting) {
    const found = isBareName(setting) ? await machine.findOnPath(setting) : setting;
    if (found === undefined) {
      out.tried.push(`stepcat.interpreter: '${setting}' is not on PATH`);
    } else {
      candidates.push([found, 'stepcat.interpreter']);
    }
  }
  const selected = inputs.pythonInterpreter?.trim();
  if (selected) {
    candidates.push([selected, "the Python extension's interpreter"]);
  }
  if (candidates.length === 0) {
    out.tried.push('no `stepcat.interpreter` and no interpreter selected in the Python extension');
    for (const name of ['python3', 'python']) {
      const found = await machine.findOnPath(name);
      if (found !== undefined) {
        candidates.push([found, `'${name}' on PATH`]);
        break;
      }
    }
    if (candidates.length === 0) {
      out.tried.push("neither 'python3' nor 'python' is on PATH");
    }
  }
  return candidates;
}

export async function resolveServerCommand(inputs: Inputs, machine: Machine): Promise<Resolution> {
  const out: Resolution = { tried: [], hints: [] };
  const fromPath = await fromSetting(inputs, machine, out);
  if (fromPath) {
    return { ...out, command: fromPath };
  }
  const bundle = inputs.bundle;
  const strategy = inputs.importStrategy ?? 'useBundled';
  for (const [python, where] of await interpreters(inputs, machine, out)) {
    if (strategy === 'fromEnvironment' || bundle === undefined) {
      const own = await machine.probe(python, undefined);
      if (own.server !== undefined && !tooOld(own.version)) {
        const args = ['-m', SERVER_MODULE, ...inputs.serverArgs];
        return { ...out, command: { command: python, args, source: 'environment', python } };
      }
      out.tried.push(`${where} '${python}' has no stepcat installed`);
    }
    if (bundle !== undefined) {
      const probe = await machine.probe(python, bundle.libs);
      if (probe.server !== undefined && !tooOld(probe.version)) {
        const env = { PYTHONPATH: bundledPythonPath(bundle.libs, inputs.pythonPath, inputs.delimiter ?? ':') };
        const args = ['-m', SERVER_MODULE, ...inputs.serverArgs];
        return { ...out, command: { command: python, args, source: 'bundled', env, python } };
      }
      const [line, hint] = explain(where, probe, python, bundle);
      out.tried.push(line);
      if (hint && !out.hints.includes(hint)) {
        out.hints.push(hint);
      }
    }
  }
  if (bundle === undefined) {
    out.hints.push('this copy of the extension has no bundled server: install the .vsix built by CI, or `pip install` stepcat into the interpreter');
  }
  return out;
}

/** The message shown when no candidate works: what was tried and what to do. */
export function notFoundMessage(resolution: Resolution): string {
  const hints =
    resolution.hints.length > 0
      ? resolution.hints
      : [
          `select a Python ${MIN}+ interpreter (Python: Select Interpreter), or set \`stepcat.interpreter\` ` +
            '(in a remote window: in the Remote settings)',
        ];
  return (
    `stepcat: the language server could not start. To fix: ${hints.join('; or ')}. ` +
    `Tried: ${resolution.tried.join('; ')}.`
  );
}

/** A warning when the running server is not the extension's version (undefined when they agree). */
export function versionWarning(extension: string, server: string | undefined, command: ServerCommand): string | undefined {
  if (server === undefined || server === extension) {
    return undefined;
  }
  return (
    `stepcat: the server (${command.command}, from ${command.source}) is version ${server}, ` +
    `the extension ${extension}. Features may not match; use the bundled server (clear ` +
    '`stepcat.server.path`, `stepcat.importStrategy`: `useBundled`) or install the same version.'
  );
}

/** PATH lookup without touching the machine: `isFile` answers for each candidate path. */
export async function searchPath(
  name: string,
  env: { PATH?: string; Path?: string; PATHEXT?: string },
  platform: string,
  isFile: (path: string) => Promise<boolean>,
): Promise<string | undefined> {
  const windows = platform === 'win32';
  const separator = windows ? ';' : ':';
  const slash = windows ? '\\' : '/';
  const dirs = (env.PATH ?? env.Path ?? '').split(separator).filter((d) => d.length > 0);
  const extensions = windows ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';')] : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = `${dir.replace(/[\\/]+$/, '')}${slash}${name}${ext.toLowerCase()}`;
      if (await isFile(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}
