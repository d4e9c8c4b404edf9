/**
 * stepcat: Show DAG: a webview panel beside the editor that draws the DAG at the cursor
 * (`stepcat.dagGraph`), opens a clicked node's definition, and follows edits, saves and the
 * active editor (rules in `follow.ts`). Wiring only: the page, layout and drawing are pure
 * modules and the webview script (`dist/dagView.js`).
 */

import * as vscode from 'vscode';

import type { StepcatClient } from '../client';
import { openLocation } from '../locations';
import { displayPath } from '../presentation';
import { DagGraph, SERVER_COMMANDS } from '../protocol';
import { FollowEvent, REQUERY_DELAY_MS, Tickets, documentKey, followAction } from './follow';
import { ToWebview, clickTarget, nodeAt, parseDagGraph, parseFromWebview } from './messages';
import { Target, activeTarget, createDagPanel } from './page';

/** show: the command; requery: the shown DAG again; probe: another editor, shown only if it has a DAG. */
type Mode = 'show' | 'requery' | 'probe';

const folders = (): string[] => (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);

export class DagView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private target: Target | undefined;
  private graph: DagGraph | undefined;
  private last: ToWebview = { type: 'notice', text: 'Loading the DAG…' };
  private readonly tickets = new Tickets();
  private timer: NodeJS.Timeout | undefined;
  private missed = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly client: StepcatClient,
    private readonly extensionUri: vscode.Uri,
  ) {
    this.disposables.push(
      vscode.commands.registerCommand('stepcat.showDag', () => this.show()),
      vscode.workspace.onDidChangeTextDocument((e) =>
        this.follow({ kind: 'edit', key: documentKey(e.document.uri) }),
      ),
      vscode.workspace.onDidSaveTextDocument(() => this.follow({ kind: 'save' })),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor !== undefined) {
          const { uri, languageId } = editor.document;
          this.follow({ kind: 'activeEditor', key: documentKey(uri), languageId });
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.highlight(e.textEditor)),
    );
  }

  /** The catalog changed (server notification): redraw with the new statuses. */
  catalogChanged(): void {
    this.follow({ kind: 'catalogChanged' });
  }

  async show(): Promise<void> {
    const target = activeTarget();
    if (target === undefined) {
      void vscode.window.showInformationMessage(
        'stepcat: open a DAG (a Python module, a notebook or a .dag.json file) and put the cursor in it.',
      );
      return;
    }
    this.target = target;
    this.graph = undefined;
    this.openPanel();
    await this.query(target, 'show');
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
    this.disposables.forEach((d) => d.dispose());
  }

  private openPanel(): void {
    if (this.panel !== undefined) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = createDagPanel(this.extensionUri);
    panel.webview.onDidReceiveMessage((raw) => this.received(raw));
    panel.onDidChangeViewState(() => {
      if (panel.visible && this.missed) {
        this.requerySoon();
      }
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.graph = undefined;
      this.target = undefined;
    });
    this.panel = panel;
  }

  private follow(event: FollowEvent): void {
    if (this.panel === undefined || this.target === undefined) {
      return;
    }
    const uris = this.graph ? [this.target.uri, vscode.Uri.parse(this.graph.uri)] : [this.target.uri];
    const action = followAction(event, new Set(uris.map(documentKey)));
    if (action === 'requery') {
      this.requerySoon();
    } else if (action === 'probe' && this.panel.visible) {
      const candidate = activeTarget();
      if (candidate !== undefined) {
        void this.query(candidate, 'probe');
      }
    }
  }

  private requerySoon(): void {
    if (this.panel?.visible !== true) {
      this.missed = true;
      return;
    }
    this.missed = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const target = this.target;
      if (target === undefined) {
        return;
      }
      // follow the cursor when the DAG's document is the active one (lines move as it is edited)
      const editor = vscode.window.activeTextEditor;
      const line =
        editor !== undefined && editor.document.uri.toString() === target.uri.toString()
          ? editor.selection.active.line
          : target.line;
      void this.query({ ...target, line }, 'requery');
    }, REQUERY_DELAY_MS);
  }

  private async query(target: Target, mode: Mode): Promise<void> {
    const ticket = this.tickets.take();
    const answer = await this.ask(target);
    if (!this.tickets.isLatest(ticket) || this.panel === undefined) {
      return;
    }
    if (answer !== null && typeof answer === 'object') {
      const file = displayPath(answer.uri, folders());
      this.target = target;
      this.graph = answer;
      this.panel.title = `DAG: ${answer.name || file}`;
      this.post({ type: 'graph', graph: answer, file });
    } else if (mode !== 'probe') {
      // a probe that finds no DAG keeps the graph shown
      const where = `${displayPath(target.uri.toString(), folders())}:${target.line + 1}`;
      this.graph = undefined;
      this.post({ type: 'notice', text: answer ?? `No DAG at ${where}.` });
    }
  }

  /** The server's graph, null when there is no DAG there, or what went wrong. */
  private async ask(target: Target): Promise<DagGraph | null | string> {
    let raw: unknown;
    try {
      raw = await this.client.executeCommand<unknown>(SERVER_COMMANDS.dagGraph, target.uri.toString(), target.line);
    } catch (error) {
      return `The server could not draw this DAG: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (raw === undefined) {
      return 'The stepcat server is not running (see stepcat: Show Output).';
    }
    const graph = parseDagGraph(raw, (uri) => vscode.Uri.parse(uri).toString());
    return graph === undefined ? 'The server answered with something that is not a DAG.' : graph;
  }

  private post(message: ToWebview): void {
    this.last = message;
    void this.panel?.webview.postMessage(message);
  }

  private received(raw: unknown): void {
    const message = parseFromWebview(raw);
    if (message?.type === 'ready') {
      void this.panel?.webview.postMessage(this.last);
    } else if (message !== undefined && this.graph !== undefined) {
      const location = clickTarget(this.graph, message);
      if (location !== null) {
        void openLocation(location, this.target?.column ?? vscode.ViewColumn.One);
      }
    }
  }

  /** Marks the node whose name is under the cursor in the DAG's document. */
  private highlight(editor: vscode.TextEditor): void {
    const uri = editor.document.uri.toString();
    if (this.graph === undefined || this.panel?.visible !== true || this.target?.uri.toString() !== uri) {
      return;
    }
    const { line, character } = editor.selection.active;
    const id = nodeAt(this.graph, uri, line, character);
    void this.panel.webview.postMessage({ type: 'select', id } satisfies ToWebview);
  }
}
