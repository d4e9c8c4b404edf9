/** The extension's entry point: wires the client, the status bar item, the DAG view, the Steps
 * view and the commands. */

import * as vscode from 'vscode';

import { StepcatClient } from './client';
import { goToComponent, reindex, showStep } from './commands';
import { DagView } from './dag/panel';
import { actOnStaged, integrationStatus, stageStep } from './integration';
import { SERVER_COMMANDS, ServerStatus } from './protocol';
import { onInterpreterChange } from './python';
import { StatusItem } from './status';
import { StepTree } from './tree/view';

let client: StepcatClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('stepcat');
  const stepcat = new StepcatClient(output);
  client = stepcat;
  const status = new StatusItem(
    () => stepcat.executeCommand<ServerStatus>(SERVER_COMMANDS.status),
    'stepcat.showStep',
    'stepcat.showOutput',
  );
  const dagView = new DagView(stepcat, context.extensionUri);
  const stepTree = new StepTree(stepcat);
  context.subscriptions.push(
    output,
    stepcat,
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
    }),
    stepcat.onDidStop((reason) => status.stopped(reason)),
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
      if (event.affectsConfiguration('stepcat.server')) {
        void stepcat.restart();
      } else if (event.affectsConfiguration('stepcat')) {
        void stepcat.settingsChanged();
      }
    }),
    await onInterpreterChange(() => {
      if (stepcat.command?.source !== 'setting') {
        void stepcat.restart();
      }
    }),
  );
  void vscode.commands.executeCommand('setContext', 'stepcat.active', true);
  await stepcat.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
