/**
 * The Steps view's tree fetched one level at a time, as VS Code's TreeDataProvider asks for it:
 * the workspaces, then a workspace's steps when it is expanded, then a step's components. Each
 * level is asked once per catalog change (`reset`); concurrent asks share one request. Pure (the
 * server is the `fetch` function), so vitest drives it.
 */

import { SERVER_COMMANDS, TreeOwner, TreeWorkspace } from '../protocol';
import type { NormaliseUri } from '../shapes';
import { parseStepTree, parseTreeComponents, parseTreeOwners, parseTreeSteps } from './answer';
import { TreeNode, setComponents, setSteps, uniqueIds, workspaceNode } from './model';

/** Runs `stepcat.stepTree` (or another server command) with arguments; undefined: no server. */
export type Fetch = (command: string, ...args: string[]) => Promise<unknown>;

const STEP_TREE = SERVER_COMMANDS.stepTree;
const STEP_TREE_OWNERS = SERVER_COMMANDS.stepTreeOwners;

export class LazyTree {
  private roots: Promise<TreeNode[]> | undefined;
  private readonly pending = new Map<TreeNode, Promise<TreeNode[]>>();
  private readonly workspaces = new Map<TreeNode, TreeWorkspace>();
  private unique = uniqueIds();
  /** What the view shows instead of rows (server not running, no steps...), or undefined. */
  message: string | undefined;

  constructor(
    private readonly fetch: Fetch,
    private readonly normalise: NormaliseUri = (uri) => uri,
  ) {}

  /** Forget every level: the next asks go to the server again. */
  reset(): void {
    this.roots = undefined;
    this.pending.clear();
    this.workspaces.clear();
    this.unique = uniqueIds();
  }

  /** The children of a node (of the root when undefined), fetched the first time. */
  children(node?: TreeNode): Promise<TreeNode[]> {
    if (node === undefined) {
      this.roots ??= this.fetchRoots();
      return this.roots;
    }
    if (node.loaded || node.kind === 'component') {
      return Promise.resolve(node.children);
    }
    let pending = this.pending.get(node);
    if (pending === undefined) {
      pending = node.kind === 'workspace' ? this.fetchSteps(node) : this.fetchComponents(node);
      this.pending.set(node, pending);
    }
    return pending;
  }

  /** The step node `owner` names, fetching its workspace's steps if needed. */
  async find(owner: TreeOwner): Promise<TreeNode | undefined> {
    const ws = (await this.children()).find((w) => w.workspace === owner.workspace);
    return ws === undefined ? undefined : (await this.children(ws)).find((s) => s.label === owner.step);
  }

  /** The first step node a file (URI) belongs to, as the server says. */
  async stepOf(uri: string): Promise<TreeNode | undefined> {
    const owners = parseTreeOwners(await this.fetch(STEP_TREE_OWNERS, uri).catch(() => []));
    return owners.length > 0 ? this.find(owners[0]) : undefined;
  }

  private async fetchRoots(): Promise<TreeNode[]> {
    let raw: unknown;
    try {
      raw = await this.fetch(STEP_TREE);
    } catch (error) {
      return this.shown([], `The server could not list the steps: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (raw === undefined) {
      return this.shown([], 'The stepcat server is not running (see stepcat: Show Output).');
    }
    const workspaces = parseStepTree(raw, this.normalise);
    if (workspaces === undefined) {
      return this.shown([], 'The server answered with something that is not a step tree.');
    }
    const roots = workspaces.map((ws) => {
      const node = workspaceNode(ws, this.unique);
      this.workspaces.set(node, ws);
      return node;
    });
    const none = roots.every((ws) => ws.loaded && ws.children.length === 0);
    return this.shown(roots, none ? 'No steps found in this workspace.' : undefined);
  }

  private async fetchSteps(node: TreeNode): Promise<TreeNode[]> {
    const raw = await this.fetch(STEP_TREE, node.workspace).catch(() => undefined);
    const steps = parseTreeSteps(raw, this.normalise) ?? [];
    const ws = this.workspaces.get(node);
    if (ws === undefined) {
      return [];
    }
    return setSteps(node, ws, steps, this.unique);
  }

  private async fetchComponents(node: TreeNode): Promise<TreeNode[]> {
    const raw = await this.fetch(STEP_TREE, node.workspace, node.label).catch(() => undefined);
    return setComponents(node, parseTreeComponents(raw, this.normalise) ?? [], this.unique);
  }

  private shown(roots: TreeNode[], message: string | undefined): TreeNode[] {
    this.message = message;
    return roots;
  }
}
