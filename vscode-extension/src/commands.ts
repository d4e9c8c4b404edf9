/** The commands behind the palette entries: Show Step..., Go to Component..., Reindex. */

import * as vscode from 'vscode';

import type { StepcatClient } from './client';
import { componentPickRows, PickRow, stepPickRows } from './presentation';
import { ComponentRow, Location, SERVER_COMMANDS, StepRow } from './protocol';

interface PickItem extends vscode.QuickPickItem {
  location: Location | null;
}

function folders(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
}

function toItem(row: PickRow): PickItem {
  return { ...row, alwaysShow: true };
}

async function open(location: Location): Promise<void> {
  const { start, end } = location.range;
  const selection = new vscode.Range(start.line, start.character, end.line, end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(location.uri), { selection });
}

function notRunning(): void {
  void vscode.window.showWarningMessage('stepcat: the server is not running (see stepcat: Show Output).');
}

/** A quick pick over every step, ranked by our fuzzy matcher as the user types. */
export async function showStep(client: StepcatClient): Promise<void> {
  const steps = await client.executeCommand<StepRow[]>(SERVER_COMMANDS.listSteps);
  if (steps === undefined) {
    return notRunning();
  }
  const pick = vscode.window.createQuickPick<PickItem>();
  pick.title = 'stepcat: Show Step';
  pick.placeholder = `${steps.length} steps: type a name, abbreviation or part of the description`;
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const update = (): void => {
    pick.items = stepPickRows(steps, pick.value, folders()).map(toItem);
  };
  update();
  pick.onDidChangeValue(update);
  const chosen = await new Promise<PickItem | undefined>((resolve) => {
    // selectedItems can lag behind the items just replaced while typing: fall back on the active one
    pick.onDidAccept(() => resolve(pick.selectedItems[0] ?? pick.activeItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (chosen?.location) {
    await open(chosen.location);
  } else if (chosen) {
    void vscode.window.showInformationMessage(`stepcat: ${chosen.label} has no registry entry to open.`);
  }
}

/** A quick pick over the components of the step or node name under the cursor. */
export async function goToComponent(client: StepcatClient): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) {
    void vscode.window.showInformationMessage('stepcat: open a file and put the cursor on a step name.');
    return;
  }
  const { line, character } = editor.selection.active;
  const components = await client.executeCommand<ComponentRow[]>(
    SERVER_COMMANDS.componentsAt,
    editor.document.uri.toString(),
    line,
    character,
  );
  if (components === undefined) {
    return notRunning();
  }
  if (components.length === 0) {
    void vscode.window.showInformationMessage('stepcat: no step or node name at the cursor.');
    return;
  }
  const items = componentPickRows(components, folders()).map(toItem);
  const chosen = await vscode.window.showQuickPick(items, {
    title: `stepcat: components of ${components[0].step}`,
    matchOnDescription: true,
  });
  if (chosen?.location) {
    await open(chosen.location);
  }
}

export async function reindex(client: StepcatClient): Promise<void> {
  const steps = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'stepcat: reindexing the step catalog…' },
    () => client.executeCommand<number>(SERVER_COMMANDS.reindex),
  );
  if (steps === undefined) {
    return notRunning();
  }
  void vscode.window.showInformationMessage(`stepcat: ${steps} steps indexed.`);
}
