/**
 * The Steps view in the Explorer: workspaces -> steps -> components from `stepcat.stepTree`, one
 * level per request as the view expands (`lazy.ts`), refreshed on `stepcat/catalogChanged`, a
 * reindex or a restart; the active editor's step (`stepcat.stepTreeOwners`) is revealed while the
 * view is visible. Wiring only: the nodes are built by `model.ts`.
 */

import * as vscode from 'vscode';

import type { StepcatClient } from '../client';
import { openLocation } from '../locations';
import { componentPickRows } from '../presentation';
import { LazyTree } from './lazy';
import { TreeNode, collapsible } from './model';

const REFRESH_DELAY_MS = 300;
const normalise = (uri: string): string => vscode.Uri.parse(uri).toString();

export class StepTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly tree: LazyTree;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[];

  readonly onDidChangeTreeData = this.changed.event;

  constructor(client: StepcatClient) {
    this.tree = new LazyTree((command, ...args) => client.executeCommand<unknown>(command, ...args), normalise);
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
      this.tree.reset();
      this.changed.fire(undefined);
    }, delay);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    const children = await this.tree.children(node);
    if (node === undefined) {
      this.view.message = this.tree.message;
    }
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state = !collapsible(node)
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

  /** Selects the step of the active editor's file, when the view is visible. */
  private async revealActive(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!this.view.visible || editor === undefined) {
      return;
    }
    const step = await this.tree.stepOf(editor.document.uri.toString());
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
    if (step?.kind === 'step') {
      await this.tree.children(step); // its components, fetched if it was never expanded
    }
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
