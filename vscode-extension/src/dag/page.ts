/**
 * The DAG view's webview panel and where it draws from: the panel (beside the editor, scripts on,
 * kept when hidden, resources only from the extension's dist/ and media/), and the document and
 * line under the cursor (a text editor, or the selected cell of a notebook).
 */

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

import { dagViewHtml } from './html';

export interface Target {
  uri: vscode.Uri;
  line: number;
  /** Where the DAG's editor is: clicked nodes open there. */
  column: vscode.ViewColumn;
}

export function activeTarget(): Target | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor !== undefined) {
    const column = editor.viewColumn ?? vscode.ViewColumn.One;
    return { uri: editor.document.uri, line: editor.selection.active.line, column };
  }
  const notebook = vscode.window.activeNotebookEditor;
  if (notebook !== undefined && notebook.notebook.cellCount > 0) {
    const cell = notebook.notebook.cellAt(notebook.selections[0]?.start ?? 0);
    return { uri: cell.document.uri, line: 0, column: notebook.viewColumn ?? vscode.ViewColumn.One };
  }
  return undefined;
}

export function createDagPanel(extensionUri: vscode.Uri): vscode.WebviewPanel {
  const dist = vscode.Uri.joinPath(extensionUri, 'dist');
  const media = vscode.Uri.joinPath(extensionUri, 'media');
  const panel = vscode.window.createWebviewPanel(
    'stepcat.dag',
    'stepcat: DAG',
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: [dist, media] },
  );
  const { webview } = panel;
  webview.html = dagViewHtml({
    cspSource: webview.cspSource,
    nonce: randomBytes(18).toString('base64'),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'dagView.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'dagView.css')).toString(),
  });
  return panel;
}
