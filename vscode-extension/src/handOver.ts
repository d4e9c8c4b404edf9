/**
 * The project's interpreter handed to the server (its `python` setting): the server searches
 * that environment for the installed framework. Pure (no `vscode` import): the Python
 * extension's API is passed in, so each branch is unit-tested.
 *
 * Which interpreter: `stepcat.python` when set, else the environment the Python extension has
 * active for the folder the server indexes first, else none — the server then looks for
 * `.venv` / `venv`, `VIRTUAL_ENV`, `CONDA_PREFIX` itself. (`stepcat.interpreter` only chooses
 * what runs the server: often a system Python, not the project's environment.)
 *
 * When the Python extension's selection changes: a server that runs on the selected interpreter
 * is restarted (its process changes); otherwise, when the interpreter handed over changes, the
 * server is told (`workspace/didChangeConfiguration`: it asks for its settings again, finds
 * the new environment and reindexes). A change for another workspace folder changes nothing.
 */

/** The Python extension's `EnvironmentPath`. */
export interface EnvironmentPath {
  id: string;
  path: string;
}

/** Its `ActiveEnvironmentPathChangeEvent`: the new path, and the folder it is for (none: global). */
export interface ActiveEnvironmentChange extends Partial<EnvironmentPath> {
  resource?: { uri: { toString(): string } } | undefined;
}

/** The part of the Python extension's `environments` API used here. `R` is a resource (a Uri). */
export interface EnvironmentsApi<R> {
  getActiveEnvironmentPath(resource?: R): EnvironmentPath | undefined;
  resolveEnvironment(
    environment: EnvironmentPath | string,
  ): Promise<{ executable: { uri?: { fsPath: string } } } | undefined>;
  onDidChangeActiveEnvironmentPath?: (listener: (event: ActiveEnvironmentChange) => unknown) => { dispose(): unknown };
}

/** The executable of the environment active for `resource`, or undefined (no API, none selected, an error). */
export async function activeInterpreter<R>(
  environments: EnvironmentsApi<R> | undefined,
  resource?: R,
): Promise<string | undefined> {
  if (environments === undefined) {
    return undefined;
  }
  try {
    const active = environments.getActiveEnvironmentPath(resource);
    if (active === undefined) {
      return undefined;
    }
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath || active.path || undefined;
  } catch {
    return undefined;
  }
}

export type HandOverSource = 'stepcat.python' | 'Python extension' | 'discovery';

export interface HandOver {
  /** The interpreter handed over; undefined: the server discovers the environment. */
  python: string | undefined;
  source: HandOverSource;
}

/** `stepcat.python` (a non-empty string) wins, then the Python extension's selection. */
export function handOver(setting: unknown, selected: string | undefined): HandOver {
  if (typeof setting === 'string' && setting.trim() !== '') {
    return { python: setting.trim(), source: 'stepcat.python' };
  }
  if (selected !== undefined && selected.trim() !== '') {
    return { python: selected.trim(), source: 'Python extension' };
  }
  return { python: undefined, source: 'discovery' };
}

/** What the server is sent as `python` (null, not absent: it replaces an earlier value). */
export function pythonSetting(hand: HandOver | undefined): { python: string | null } {
  return { python: hand?.python ?? null };
}

/** Whether the server process is the Python extension's interpreter (no `stepcat.server.path`,
 * no `stepcat.interpreter`, and it runs as `-m stepcat_server` with the selected interpreter). */
export function runsOnSelected(
  command: { source: string; python?: string } | undefined,
  interpreterSetting: unknown,
  selected: string | undefined,
): boolean {
  if (command === undefined || command.source === 'setting' || selected === undefined) {
    return false;
  }
  if (typeof interpreterSetting === 'string' && interpreterSetting.trim() !== '') {
    return false;
  }
  return command.python === selected;
}

export type Reaction = 'restart' | 'tell' | 'ignore';

export interface InterpreterChange {
  /** The server may run (the workspace holds a catalog). */
  active: boolean;
  /** The event's folder (its uri as a string); undefined: the selection for the whole window. */
  changedFolder: string | undefined;
  /** The folder the server takes its interpreter for (the first workspace folder). */
  serverFolder: string | undefined;
  /** The server process runs on the interpreter that was selected (see `runsOnSelected`). */
  serverRunsOnSelected: boolean;
  /** The Python extension's interpreter for the server's folder before and after the event. */
  selectedBefore: string | undefined;
  selectedNow: string | undefined;
  previous: HandOver | undefined;
  next: HandOver;
}

export function reactToInterpreterChange(change: InterpreterChange): Reaction {
  if (!change.active) {
    return 'ignore';
  }
  if (change.changedFolder !== undefined && change.serverFolder !== undefined && change.changedFolder !== change.serverFolder) {
    return 'ignore'; // another folder's interpreter: not the one the server uses
  }
  if (change.selectedBefore === change.selectedNow) {
    return 'ignore'; // the event repeats the selection the server has
  }
  if (change.serverRunsOnSelected) {
    return 'restart';
  }
  return change.next.python === change.previous?.python ? 'ignore' : 'tell';
}
