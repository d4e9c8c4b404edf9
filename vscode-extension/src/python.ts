/** The interpreter selected in the Python extension (`ms-python.python`), when it is installed. */

import * as vscode from 'vscode';

interface EnvironmentPath {
  id: string;
  path: string;
}

/** The part of the Python extension's API used here (its `environments` API). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath | undefined;
    resolveEnvironment(
      environment: EnvironmentPath | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
}

const PYTHON_EXTENSION = 'ms-python.python';

async function api(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return undefined;
  }
  try {
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

/** The executable of the active environment for `resource`, or undefined. */
export async function selectedInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  const environments = (await api())?.environments;
  if (environments === undefined) {
    return undefined;
  }
  try {
    const active = environments.getActiveEnvironmentPath(resource);
    if (active === undefined) {
      return undefined;
    }
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Calls `listener` when the user selects another interpreter (no-op without the extension). */
export async function onInterpreterChange(listener: () => void): Promise<vscode.Disposable> {
  const event = (await api())?.environments?.onDidChangeActiveEnvironmentPath;
  return event ? event(() => listener()) : new vscode.Disposable(() => undefined);
}
