/**
 * The extension's entry point: wires the client, the language status item, the DAG view, the Steps view and
 * the commands.
 * The server starts only when the workspace holds a step catalog (catalog.ts); the context keys
 * `stepcat.active` and `stepcat.serverRunning` drive the commands' `when` clauses.
 */

import * as vscode from 'vscode';

import { CATALOG_EXCLUDE, catalogGlob } from './catalog';
import { StepcatClient } from './client';
import { goToComponent, reindex, showStep } from './commands';
import { DagView } from './dag/panel';
import { actOnStaged, integrationStatus, stageStep } from './integration';
import { SERVER_COMMANDS, ServerStatus } from './protocol';
import { onInterpreterChange } from './python';
import { ReadOnlyEditors } from './readOnlyEditors';
import { StatusItem } from './status';
import { StepTree } from './tree/view';

let client: StepcatClient | undefined;

/** Settings that change which server runs: a change restarts it. */
const RESTART_SETTINGS = ['stepcat.server', 'stepcat.interpreter', 'stepcat.importStrategy'];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('stepcat');
  const version = String(context.extension.packageJSON.version ?? '');
  const stepcat = new StepcatClient(output, { path: context.extensionPath, version });
  client = stepcat;
  let active = false; // a catalog is present: the server may run
  const readOnly = new ReadOnlyEditors(output);
  const status = new StatusItem(
    () => stepcat.executeCommand<ServerStatus>(SERVER_COMMANDS.status),
    'stepcat.showStep',
    'stepcat.showOutput',
    (answer) => readOnly.statusChanged(answer),
  );
  const dagView = new DagView(stepcat, context.extensionUri);
  const stepTree = new StepTree(stepcat);
  context.subscriptions.push(
    output,
    stepcat,
    readOnly,
    status,
    dagView,
    stepTree,
    stepcat.onDidChangeCatalog(() => {
      dagView.catalogChanged();
      stepTree.refresh();
    }),
    stepcat.onDidStart((languageClient) => {
      status.attach(languageClient);
      stepTree.refresh();
      void setContext('stepcat.serverRunning', true);
    }),
    stepcat.onDidStop((reason) => {
      status.stopped(reason);
      void setContext('stepcat.serverRunning', false);
    }),
    vscode.commands.registerCommand('stepcat.restartServer', () => stepcat.restart()),
    vscode.commands.registerCommand('stepcat.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('stepcat.reindexCatalog', async () => {
      await reindex(stepcat);
      stepTree.refresh(0);
    }),
    vscode.commands.registerCommand('stepcat.showStep', () => showStep(stepcat)),
    vscode.commands.registerCommand('stepcat.goToComponent', () => goToComponent(stepcat)),
    vscode.commands.registerCommand('stepcat.stageStep', () => stageStep(stepcat)),
    vscode.commands.registerCommand('stepcat.validateStaged', () => actOnStaged(stepcat, 'validate')),
    vscode.commands.registerCommand('stepcat.approveStaged', () => actOnStaged(stepcat, 'approve')),
    vscode.commands.registerCommand('stepcat.rejectStaged', () => actOnStaged(stepcat, 'reject')),
    vscode.commands.registerCommand('stepcat.promoteStaged', () => actOnStaged(stepcat, 'promote')),
    vscode.commands.registerCommand('stepcat.rollBackPromoted', () => actOnStaged(stepcat, 'rollback')),
    vscode.commands.registerCommand('stepcat.integrationStatus', () => integrationStatus(stepcat, output)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!active) {
        return;
      }
      if (RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) {
        void stepcat.restart();
      } else if (event.affectsConfiguration('stepcat')) {
        void stepcat.settingsChanged();
      }
    }),
    await onInterpreterChange((event) => void stepcat.interpreterChanged(event, active)),
  );
  if (!(await hasCatalog())) {
    output.appendLine('[client] no step catalog in this workspace: the server is not started');
    status.idle('no step catalog in this workspace');
    return;
  }
  active = true;
  await setContext('stepcat.active', true);
  await stepcat.start();
}

function setContext(key: string, value: boolean): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}

async function hasCatalog(): Promise<boolean> {
  const found = await vscode.workspace.findFiles(catalogGlob(), CATALOG_EXCLUDE, 1);
  return found.length > 0;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
