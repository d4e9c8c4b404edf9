/**
 * The Steps view in the Explorer: workspaces -> steps -> components from `stepcat.stepTree`,
 * refreshed on `stepcat/catalogChanged`, a reindex or a restart; the active editor's step is
 * revealed while the view is visible. Wiring only: the tree is built by `model.ts`.
 */

import * as vscode from 'vscode';

import type { StepcatClient } from '../client';
import { openLocation } from '../locations';
import { componentPickRows } from '../presentation';
import { SERVER_COMMANDS } from '../protocol';
import { parseStepTree } from './answer';
import { TreeNode, buildTree, stepsByUri } from './model';

const REFRESH_DELAY_MS = 300;
const normalise = (uri: string): string => vscode.Uri.parse(uri).toString();

export class StepTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private roots: TreeNode[] | undefined;
  private index = new Map<string, TreeNode[]>();
  private loading: Promise<TreeNode[]> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[];

  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly client: StepcatClient) {
    this.view = vscode.window.createTreeView('stepcat.steps', { treeDataProvider: this, showCollapseAll: true });
    this.disposables = [
      this.view,
      this.changed,
      this.view.onDidChangeVisibility(() => void this.revealActive()),
      vscode.window.onDidChangeActiveTextEditor(() => void this.revealActive()),
      vscode.commands.registerCommand('stepcat.steps.refresh', () => this.refresh(0)),
      vscode.commands.registerCommand('stepcat.steps.showStep', (node?: TreeNode) => this.open(node)),
      vscode.commands.registerCommand('stepcat.steps.openComponent', (node?: TreeNode) => this.open(node)),
      vscode.commands.registerCommand('stepcat.steps.goToComponent', (node?: TreeNode) => this.pickComponent(node)),
    ];
  }

  /** Asks the server again (after `delay` ms, coalescing bursts of catalog changes). */
  refresh(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.roots = undefined;
      this.loading = undefined;
      this.changed.fire(undefined);
    }, delay);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node === undefined ? this.load() : node.children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state =
      node.children.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : node.expanded
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    if (node.resourceUri !== undefined) {
      item.resourceUri = vscode.Uri.parse(node.resourceUri);
      item.iconPath = vscode.ThemeIcon.File;
    } else {
      const color = node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined;
      item.iconPath = new vscode.ThemeIcon(node.icon.id, color);
    }
    if (node.kind === 'component' && node.location !== null) {
      item.command = { command: 'stepcat.steps.openComponent', title: 'Open', arguments: [node] };
    }
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }

  private load(): Promise<TreeNode[]> {
    if (this.roots !== undefined) {
      return Promise.resolve(this.roots);
    }
    this.loading ??= this.fetch();
    return this.loading;
  }

  private async fetch(): Promise<TreeNode[]> {
    let raw: unknown;
    try {
      raw = await this.client.executeCommand<unknown>(SERVER_COMMANDS.stepTree);
    } catch (error) {
      return this.loaded([], `The server could not list the steps: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (raw === undefined) {
      return this.loaded([], 'The stepcat server is not running (see stepcat: Show Output).');
    }
    const workspaces = parseStepTree(raw, normalise);
    if (workspaces === undefined) {
      return this.loaded([], 'The server answered with something that is not a step tree.');
    }
    const roots = buildTree(workspaces);
    const none = roots.every((ws) => ws.children.length === 0);
    return this.loaded(roots, none ? 'No steps found in this workspace.' : undefined);
  }

  private loaded(roots: TreeNode[], message: string | undefined): TreeNode[] {
    this.roots = roots;
    this.index = stepsByUri(roots);
    this.view.message = message;
    return roots;
  }

  /** Selects the step of the active editor's file, when the view is visible. */
  private async revealActive(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!this.view.visible || editor === undefined) {
      return;
    }
    await this.load();
    const step = this.index.get(editor.document.uri.toString())?.[0];
    if (step !== undefined && !this.view.selection.includes(step)) {
      await this.view.reveal(step, { select: true, focus: false, expand: false }).then(undefined, () => undefined);
    }
  }

  private async open(node: TreeNode | undefined): Promise<void> {
    const target = node ?? this.view.selection[0];
    if (target?.location) {
      await openLocation(target.location);
    } else if (target !== undefined) {
      void vscode.window.showInformationMessage(`stepcat: ${target.label} has no file to open.`);
    }
  }

  private async pickComponent(node: TreeNode | undefined): Promise<void> {
    const step = node ?? this.view.selection[0];
    const rows = componentPickRows(step?.components ?? [], (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    if (step === undefined || rows.length === 0) {
      void vscode.window.showInformationMessage(`stepcat: ${step?.label ?? 'this step'} has no component files.`);
      return;
    }
    const chosen = await vscode.window.showQuickPick(rows, { title: `stepcat: components of ${step.label}` });
    if (chosen?.location) {
      await openLocation(chosen.location);
    }
  }
}
