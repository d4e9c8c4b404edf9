/**
 * Starts, restarts and stops the stepcat language server, and sends it commands. The server
 * command comes from `serverCommand.ts` (the bundled server run by the selected interpreter, or
 * one the settings name); settings reach the server through `settings.ts`, both as
 * initializationOptions and per folder on `workspace/configuration`.
 */

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import { nodeMachine, readBundle } from './machine';
import { CATALOG_CHANGED_NOTIFICATION } from './protocol';
import {
  ActiveEnvironmentChange,
  HandOver,
  handOver,
  pythonSetting,
  reactToInterpreterChange,
  runsOnSelected,
} from './handOver';
import { selectedInterpreter } from './python';
import {
  ImportStrategy,
  ServerCommand,
  notFoundMessage,
  resolveServerCommand,
  versionWarning,
} from './serverCommand';
import { ServerSettings, serverArgs, toServerSettings } from './settings';

const CLIENT_ID = 'stepcat';
const CLIENT_NAME = 'stepcat';

export class StepcatClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  /** The project's interpreter handed to the server (`python`), and where it came from. */
  private handedOver: HandOver | undefined;
  /** The Python extension's interpreter for the first folder when the server started. */
  private selected: string | undefined;
  private readonly started = new vscode.EventEmitter<LanguageClient>();
  private readonly stopped = new vscode.EventEmitter<string>();
  private readonly catalogChanged = new vscode.EventEmitter<void>();
  private readonly reportedProblems = new Set<string>();

  /** Fires after each successful start, with the running client. */
  readonly onDidStart = this.started.event;
  /** Fires with a reason when the server could not start or has stopped. */
  readonly onDidStop = this.stopped.event;
  /** Fires when the server says the catalog changed (`stepcat/catalogChanged`). */
  readonly onDidChangeCatalog = this.catalogChanged.event;
  /** Where the last start found the server. */
  command: ServerCommand | undefined;

  /** The server's version from the `initialize` result's serverInfo, once running. */
  serverVersion: string | undefined;

  constructor(
    private readonly output: vscode.OutputChannel,
    private readonly extension: { path: string; version: string },
  ) {}

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  async start(): Promise<boolean> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration('stepcat', folder?.uri);
    const python = await selectedInterpreter(folder?.uri);
    this.selected = python;
    // handed to the server: the framework installed in that environment is indexed
    this.handedOver = handOver(config.get('python'), python);
    this.output.appendLine(
      `[client] project interpreter: ${this.handedOver.python ?? '(none: the server looks for .venv, venv, VIRTUAL_ENV, CONDA_PREFIX)'} (${this.handedOver.source})`,
    );
    const bundle = await readBundle(this.extension.path);
    const resolution = await resolveServerCommand(
      {
        serverPath: config.get<string>('server.path') ?? '',
        serverArgs: serverArgs(config.get('server.args')),
        interpreter: config.get<string>('interpreter') ?? '',
        pythonInterpreter: python,
        importStrategy: config.get<ImportStrategy>('importStrategy') ?? 'useBundled',
        bundle,
        pythonPath: process.env.PYTHONPATH,
        delimiter: path.delimiter,
        home: os.homedir(),
      },
      nodeMachine,
    );
    resolution.tried.forEach((line) => this.output.appendLine(`[client] ${line}`));
    if (resolution.command === undefined) {
      const message = notFoundMessage(resolution);
      this.output.appendLine(`[client] ${message}`);
      this.stopped.fire(message);
      void this.showError(message);
      return false;
    }
    this.command = resolution.command;
    const { command, args, source, env } = resolution.command;
    const shownEnv = env ? Object.entries(env).map(([k, v]) => `${k}=${v} `).join('') : '';
    this.output.appendLine(`[client] starting ${shownEnv}${command} ${args.join(' ')} (from ${source})`);
    const serverOptions: ServerOptions = {
      command,
      args,
      options: { cwd: folder?.uri.fsPath, env: { ...process.env, ...env } },
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, this.clientOptions());
    this.client = client;
    client.onNotification(CATALOG_CHANGED_NOTIFICATION, () => {
      if (this.client === client) {
        this.catalogChanged.fire();
      }
    });
    try {
      await client.start();
    } catch (error) {
      this.client = undefined;
      void client.dispose().catch(() => undefined);
      const message =
        `stepcat: the server (${command} ${args.join(' ')}, from ${source}) did not start: ${String(error)}. ` +
        'See stepcat: Show Output.';
      this.output.appendLine(`[client] ${message}`);
      this.stopped.fire(message);
      void this.showError(message);
      return false;
    }
    this.serverVersion = client.initializeResult?.serverInfo?.version;
    this.output.appendLine(
      `[client] server ${this.serverVersion ?? '(no version)'} running; extension ${this.extension.version}`,
    );
    const mismatch = versionWarning(this.extension.version, this.serverVersion, resolution.command);
    if (mismatch !== undefined) {
      this.output.appendLine(`[client] ${mismatch}`);
      void vscode.window.showWarningMessage(mismatch);
    }
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped && this.client === client) {
        this.stopped.fire('stepcat: the server has stopped.');
      }
    });
    this.started.fire(client);
    return true;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined && client.state !== State.Stopped) {
      await client.stop();
    }
  }

  async restart(): Promise<boolean> {
    await this.stop();
    return this.start();
  }

  /** Runs a server command (`workspace/executeCommand`); undefined when the server is not running. */
  async executeCommand<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
    const client = this.client;
    if (client === undefined || client.state !== State.Running) {
      return undefined;
    }
    return (await client.sendRequest(ExecuteCommandRequest.type, {
      command,
      arguments: args,
    })) as T;
  }

  /**
   * The Python extension selected another interpreter (for `event.resource`, or the window):
   * restart a server that runs on it, else hand the new interpreter over (`reactToInterpreterChange`).
   */
  async interpreterChanged(event: ActiveEnvironmentChange, active: boolean): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration('stepcat', folder?.uri);
    const selected = await selectedInterpreter(folder?.uri);
    const next = handOver(config.get('python'), selected);
    const reaction = reactToInterpreterChange({
      active,
      changedFolder: event.resource?.uri.toString(),
      serverFolder: folder?.uri.toString(),
      serverRunsOnSelected: runsOnSelected(this.command, config.get('interpreter'), this.selected),
      selectedBefore: this.selected,
      selectedNow: selected,
      previous: this.handedOver,
      next,
    });
    this.output.appendLine(`[client] the Python extension's interpreter is now ${selected ?? '(none)'}: ${reaction}`);
    if (reaction === 'restart') {
      await this.restart();
    } else if (reaction === 'tell') {
      this.selected = selected;
      await this.settingsChanged();
    }
  }

  /** Tells the server that `stepcat.*` settings changed (`stepcat.python` included); it asks
   * for them again per folder. */
  async settingsChanged(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const config = vscode.workspace.getConfiguration('stepcat', folder?.uri);
    this.handedOver = handOver(config.get('python'), this.selected);
    if (this.running) {
      await this.client?.sendNotification(DidChangeConfigurationNotification.type, {
        settings: null,
      });
    }
  }

  dispose(): void {
    void this.stop();
    this.started.dispose();
    this.stopped.dispose();
    this.catalogChanged.dispose();
  }

  private clientOptions(): LanguageClientOptions {
    return {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'file', language: 'json' },
        { scheme: 'file', pattern: '**/*.step.yaml' },
        { scheme: 'untitled', language: 'python' },
      ],
      outputChannel: this.output,
      initializationOptions: { ...this.settingsFor(undefined), ...pythonSetting(this.handedOver) },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) {
              return answers;
            }
            return params.items.map((item, i) =>
              item.section === 'stepcat'
                ? {
                    ...this.settingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined),
                    ...pythonSetting(this.handedOver),
                  }
                : answers[i],
            );
          },
        },
      },
    };
  }

  /** The server's settings for a folder (or the window), reporting ignored entries once each. */
  private settingsFor(scope: vscode.Uri | undefined): ServerSettings {
    const config = vscode.workspace.getConfiguration('stepcat', scope);
    const { settings, problems } = toServerSettings((key) => config.get(key));
    for (const problem of problems) {
      if (!this.reportedProblems.has(problem)) {
        this.reportedProblems.add(problem);
        this.output.appendLine(`[client] ${problem}`);
        void vscode.window.showWarningMessage(problem);
      }
    }
    return settings;
  }

  private async showError(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'stepcat.interpreter');
    } else if (choice === 'Show Output') {
      this.output.show(true);
    }
  }
}
