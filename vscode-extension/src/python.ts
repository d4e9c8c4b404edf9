/** The Python extension (`ms-python.python`), when installed: its `environments` API, the
 * interpreter selected for a folder, and selection changes. The decisions are in `handOver.ts`. */

import * as vscode from 'vscode';

import { ActiveEnvironmentChange, EnvironmentsApi, activeInterpreter } from './handOver';

const PYTHON_EXTENSION = 'ms-python.python';

async function environments(): Promise<EnvironmentsApi<vscode.Uri> | undefined> {
  const extension = vscode.extensions.getExtension<{ environments?: EnvironmentsApi<vscode.Uri> }>(PYTHON_EXTENSION);
  if (extension === undefined) {
    return undefined;
  }
  try {
    return (extension.isActive ? extension.exports : await extension.activate())?.environments;
  } catch {
    return undefined;
  }
}

/** The executable of the active environment for `resource`, or undefined. */
export async function selectedInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
  return activeInterpreter(await environments(), resource);
}

/** Calls `listener` when the user selects another interpreter (no-op without the extension). */
export async function onInterpreterChange(
  listener: (event: ActiveEnvironmentChange) => void,
): Promise<vscode.Disposable> {
  const event = (await environments())?.onDidChangeActiveEnvironmentPath;
  if (event === undefined) {
    return new vscode.Disposable(() => undefined);
  }
  const subscription = event((change) => listener(change ?? {}));
  return new vscode.Disposable(() => subscription.dispose());
}
