/**
 * The language status item (shown in the `{}` hover next to the language of Python, JSON, YAML
 * and TOML editors, and pinnable to the status bar): `indexing… N%` while the server reports
 * `$/progress`, then the step count and the framework in use (the installed package's name and
 * version; its path, or `framework: workspace` / `none`, in the detail) from `stepcat.status`,
 * refreshed when diagnostics change. Problem counts are left to the Problems panel, which shows
 * them already.
 */

import * as vscode from 'vscode';
import {
  LanguageClient,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageclient/node';

import { idleView, progressView, statusView, stoppedView, StatusView } from './presentation';
import type { ServerStatus } from './protocol';

const REFRESH_DELAY_MS = 300;

/** Where the item shows: the files the catalog is made of. */
const STATUS_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'yaml' },
  { pattern: '**/*.step.yaml' },
  { pattern: '**/stepcat.toml' },
];

const SEVERITY = {
  information: vscode.LanguageStatusSeverity.Information,
  warning: vscode.LanguageStatusSeverity.Warning,
  error: vscode.LanguageStatusSeverity.Error,
} as const;

export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  private indexing = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly query: () => Promise<ServerStatus | undefined>,
    private readonly readyCommand: string,
    private readonly stoppedCommand: string,
    /** Told every answer of `stepcat.status` (the read-only roots follow it). */
    private readonly onStatus: (status: ServerStatus) => void = () => undefined,
  ) {
    this.item = vscode.languages.createLanguageStatusItem('stepcat.status', STATUS_SELECTOR);
    this.item.name = 'stepcat';
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
    this.show(stoppedView(reason));
  }

  /** Not started, by design (no catalog here): shown as information, not as an error. */
  idle(reason: string): void {
    this.show(idleView(reason));
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
    if (status !== undefined) {
      this.onStatus(status);
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
    this.item.detail = view.detail;
    this.item.busy = view.busy;
    this.item.severity = SEVERITY[view.severity];
    this.item.command =
      view.link === 'showStep'
        ? { title: 'Show Step...', command: this.readyCommand }
        : { title: 'Show Output', command: this.stoppedCommand };
    this.item.accessibilityInformation = { label: `${view.text.replace(/\$\([^)]*\) ?/g, '')}: ${view.detail}` };
  }
}
