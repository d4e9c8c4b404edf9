/**
 * Promotion from the command palette: stage a developer workspace's step, then validate,
 * approve, reject, promote or roll it back. The server (`stepcat.integrate.*`) does the work
 * and shows each outcome as a message; these commands only choose the step and confirm.
 */

import * as vscode from 'vscode';

import type { StepcatClient } from './client';
import { IntegrationRow, confirmation, nothingToDo, stageCandidateRows, stagedRows } from './integrationView';
import {
  INTEGRATE_COMMANDS,
  IntegrationAction,
  IntegrationResult,
  IntegrationSummary,
  SERVER_COMMANDS,
  StepRow,
} from './protocol';

function notRunning(): undefined {
  void vscode.window.showWarningMessage('stepcat: the server is not running (see stepcat: Show Output).');
  return undefined;
}

async function choose(rows: IntegrationRow[], title: string): Promise<IntegrationRow | undefined> {
  return vscode.window.showQuickPick(
    rows.map((r) => ({ ...r, alwaysShow: true })),
    { title, matchOnDescription: true },
  );
}

export async function stageStep(client: StepcatClient): Promise<IntegrationResult | undefined> {
  const steps = await client.executeCommand<StepRow[]>(SERVER_COMMANDS.listSteps);
  if (steps === undefined) {
    return notRunning();
  }
  const rows = stageCandidateRows(steps);
  if (rows.length === 0) {
    void vscode.window.showInformationMessage('stepcat: no developer workspace registers a step.');
    return undefined;
  }
  const chosen = await choose(rows, 'stepcat: stage a step for integration into the shared workspace');
  if (chosen === undefined) {
    return undefined;
  }
  return client.executeCommand<IntegrationResult>(INTEGRATE_COMMANDS.stage, chosen.step, chosen.workspace);
}

export async function actOnStaged(
  client: StepcatClient,
  action: IntegrationAction,
): Promise<IntegrationResult | undefined> {
  const summary = await client.executeCommand<IntegrationSummary>(INTEGRATE_COMMANDS.status);
  if (summary === undefined) {
    return notRunning();
  }
  const rows = stagedRows(summary.components, action);
  if (rows.length === 0) {
    void vscode.window.showInformationMessage(nothingToDo(action));
    return undefined;
  }
  const chosen = await choose(rows, `stepcat: ${action === 'rollback' ? 'roll back' : action} a staged step`);
  if (chosen === undefined) {
    return undefined;
  }
  const question = confirmation(action, chosen.step);
  if (question !== undefined) {
    const verb = action === 'promote' ? 'Promote' : 'Roll Back';
    if ((await vscode.window.showWarningMessage(question, { modal: true }, verb)) !== verb) {
      return undefined;
    }
  }
  const args: unknown[] = [chosen.step];
  if (action === 'approve' || action === 'reject') {
    const comment = await vscode.window.showInputBox({
      title: `stepcat: ${action} ${chosen.step}`,
      prompt: 'A comment for the review history (optional)',
    });
    if (comment === undefined) {
      return undefined; // Escape cancels
    }
    if (comment.length > 0) {
      args.push(comment);
    }
  }
  return client.executeCommand<IntegrationResult>(INTEGRATE_COMMANDS[action], ...args);
}

export async function integrationStatus(client: StepcatClient, output: vscode.OutputChannel): Promise<void> {
  const summary = await client.executeCommand<IntegrationSummary>(INTEGRATE_COMMANDS.status);
  if (summary === undefined) {
    notRunning();
    return;
  }
  output.appendLine(`[integration] ${summary.staged_components} staged step(s)`);
  for (const c of summary.components) {
    output.appendLine(`[integration]   ${c.component_id} from ${c.source_workspace}: ${c.status} (${c.staged_at})`);
  }
  if (summary.interrupted_operations > 0) {
    output.appendLine(`[integration] ${summary.interrupted_operations} interrupted operation(s) to recover`);
  }
}
