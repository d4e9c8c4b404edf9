/**
 * Which command starts the stepcat language server. Pure: every look at the machine (files, PATH,
 * whether an interpreter can import the server) is passed in, so each branch is unit-tested.
 *
 * Order: the `stepcat.server.path` setting (a `stepcat` executable, or a Python interpreter run
 * as `-m stepcat_server`), then the interpreter selected in the Python extension with
 * `-m stepcat_server`, then `stepcat` on PATH. When none works the answer says what was tried.
 */

export const SERVER_MODULE = 'stepcat_server';
export const EXECUTABLE = 'stepcat';

export type Source = 'setting' | 'python-extension' | 'path';

export interface ServerCommand {
  command: string;
  args: string[];
  source: Source;
}

/** What resolution asks of the machine. */
export interface Machine {
  /** True when `path` is an existing file this user may execute. */
  isExecutableFile(path: string): Promise<boolean>;
  /** True when `python -c "import stepcat_server"` succeeds. */
  pythonHasServer(python: string): Promise<boolean>;
  /** The full path of `name` on PATH, if any. */
  findOnPath(name: string): Promise<string | undefined>;
}

export interface Inputs {
  /** `stepcat.server.path` (may be empty). */
  serverPath: string;
  /** `stepcat.server.args`, appended after `serve` / `-m stepcat_server`. */
  serverArgs: string[];
  /** The Python extension's interpreter for the workspace, when that extension is installed. */
  pythonInterpreter?: string;
  /** The user's home, to expand a leading `~` in the setting. */
  home?: string;
}

export interface Resolution {
  command?: ServerCommand;
  /** One line per candidate that did not work, in order. */
  tried: string[];
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

/** The command line for an executable: a Python interpreter runs the module, anything else `serve`. */
export function commandFor(executable: string, extraArgs: string[], source: Source): ServerCommand {
  const args = isPythonInterpreter(executable) ? ['-m', SERVER_MODULE] : ['serve'];
  return { command: executable, args: [...args, ...extraArgs], source };
}

export async function resolveServerCommand(inputs: Inputs, machine: Machine): Promise<Resolution> {
  const tried: string[] = [];
  const setting = expandHome(inputs.serverPath.trim(), inputs.home);
  if (setting) {
    if (!(await machine.isExecutableFile(setting))) {
      tried.push(`stepcat.server.path: '${setting}' is not an executable file`);
    } else if (isPythonInterpreter(setting) && !(await machine.pythonHasServer(setting))) {
      tried.push(`stepcat.server.path: '${setting}' cannot import ${SERVER_MODULE}`);
    } else {
      return { command: commandFor(setting, inputs.serverArgs, 'setting'), tried };
    }
  }
  const python = inputs.pythonInterpreter?.trim();
  if (python) {
    if (await machine.pythonHasServer(python)) {
      const args = ['-m', SERVER_MODULE, ...inputs.serverArgs];
      return { command: { command: python, args, source: 'python-extension' }, tried };
    }
    tried.push(`the Python extension's interpreter '${python}' cannot import ${SERVER_MODULE}`);
  } else {
    tried.push('no interpreter selected in the Python extension (or the extension is not installed)');
  }
  const onPath = await machine.findOnPath(EXECUTABLE);
  if (onPath) {
    return { command: commandFor(onPath, inputs.serverArgs, 'path'), tried };
  }
  tried.push(`'${EXECUTABLE}' is not on PATH`);
  return { tried };
}

/** The message shown when no candidate works: what to install, where, and what was tried. */
export function notFoundMessage(resolution: Resolution, pythonInterpreter?: string): string {
  const install = pythonInterpreter
    ? `'${pythonInterpreter}' -m pip install stepcat`
    : 'pip install stepcat';
  return (
    `stepcat: the language server was not found. Install it with \`${install}\` ` +
    '(or `pip install -e .` in a stepcat checkout), or set `stepcat.server.path`. ' +
    `Tried: ${resolution.tried.join('; ')}.`
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
