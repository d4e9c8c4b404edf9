/**
 * The status bar item: `indexing… N%` while the server reports `$/progress`, then the step count
 * and problem count from `stepcat.status`, refreshed when diagnostics change.
 */

import * as vscode from 'vscode';
import {
  LanguageClient,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';

import { progressView, statusView, stoppedView, StatusView } from './presentation';
import type { ServerStatus } from './protocol';

const REFRESH_DELAY_MS = 300;

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  private indexing = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly query: () => Promise<ServerStatus | undefined>,
    private readonly readyCommand: string,
    private readonly stoppedCommand: string,
  ) {
    this.item = vscode.window.createStatusBarItem('stepcat.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'stepcat';
    this.item.command = readyCommand;
    this.show(progressView('starting the server', undefined));
    this.disposables.push(
      this.item,
      vscode.languages.onDidChangeDiagnostics(() => this.refreshSoon()),
    );
  }

  /**
   * Follows a freshly started client: its work-done progress drives the item. The handler for
   * `window/workDoneProgress/create` replaces the client's default one (which would own the
   * token's progress), so it is installed after each start.
   */
  attach(client: LanguageClient): void {
    this.clientDisposables.forEach((d) => d.dispose());
    this.indexing = 0;
    this.item.command = this.readyCommand;
    const create = client.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      const progress = client.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'begin') {
          this.indexing += 1;
          this.show(progressView(value.message, value.percentage));
        } else if (value.kind === 'report') {
          this.show(progressView(value.message, value.percentage));
        } else {
          this.indexing = Math.max(0, this.indexing - 1);
          progress.dispose();
          void this.refresh();
        }
      });
      this.clientDisposables.push(progress);
    });
    this.clientDisposables.push(create);
    void this.refresh();
  }

  stopped(reason: string): void {
    this.clientDisposables.forEach((d) => d.dispose());
    this.clientDisposables = [];
    this.item.command = this.stoppedCommand;
    this.show(stoppedView(reason));
  }

  /** Asks the server for its status now (ignored while indexing: the progress end asks again). */
  async refresh(): Promise<void> {
    if (this.indexing > 0) {
      return;
    }
    let status: ServerStatus | undefined;
    try {
      status = await this.query();
    } catch {
      return; // the server is restarting or gone: the next start or stop updates the item
    }
    if (status !== undefined && this.indexing === 0) {
      this.show(statusView(status));
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.clientDisposables.forEach((d) => d.dispose());
    this.disposables.forEach((d) => d.dispose());
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  private show(view: StatusView): void {
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.show();
  }
}
