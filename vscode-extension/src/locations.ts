/** Opening a server `Location` in an editor (a notebook cell's too). */

import * as vscode from 'vscode';

import type { Location } from './protocol';
import { NOTEBOOK_CELL_SCHEME } from './dag/follow';

export async function openLocation(location: Location, viewColumn?: vscode.ViewColumn): Promise<void> {
  const { start, end } = location.range;
  const selection = new vscode.Range(start.line, start.character, end.line, end.character);
  const uri = vscode.Uri.parse(location.uri);
  if (uri.scheme === NOTEBOOK_CELL_SCHEME) {
    // a cell opens through its notebook
    await vscode.commands.executeCommand('vscode.open', uri, { selection, viewColumn });
    return;
  }
  await vscode.window.showTextDocument(uri, { selection, viewColumn });
}
