/** Files of the installed framework (read-only sources) open read-only for the session, however
 * they were opened (definition, Show Step..., Go to Component..., the Steps view). Wiring only:
 * the decisions are in `readOnly.ts`. */

import * as vscode from 'vscode';

import { ReadOnlyFiles, readOnlyRoots } from './readOnly';

const MAKE_READ_ONLY = 'workbench.action.files.setActiveEditorReadonlyInSession';

export class ReadOnlyEditors implements vscode.Disposable {
  private readonly files = new ReadOnlyFiles(process.platform === 'win32');
  private readonly subscription: vscode.Disposable;

  constructor(private readonly output: vscode.OutputChannel) {
    this.subscription = vscode.window.onDidChangeActiveTextEditor((editor) => void this.check(editor));
  }

  /** A new `stepcat.status` answer: its read-only roots apply from now on. */
  statusChanged(status: { state: string }): void {
    if (status.state !== 'ready') {
      return; // indexing: the roots of the last index still hold
    }
    this.files.setRoots(readOnlyRoots(status));
    void this.check(vscode.window.activeTextEditor);
  }

  dispose(): void {
    this.subscription.dispose();
  }

  private async check(editor: vscode.TextEditor | undefined): Promise<void> {
    const uri = editor?.document.uri;
    if (uri === undefined || !this.files.shouldLock({ scheme: uri.scheme, fsPath: uri.fsPath, key: uri.toString() })) {
      return;
    }
    try {
      await vscode.commands.executeCommand(MAKE_READ_ONLY);
    } catch (error) {
      this.output.appendLine(`[client] could not open ${uri.fsPath} read-only: ${String(error)}`);
    }
  }
}
