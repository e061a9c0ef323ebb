// Entry point: starts the airlock server on activation and wires the commands, terminals, diagnostics, changes
// review and status bar to it. Everything here is glue; the logic lives in core/ and editor/.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunTracker } from './core/runTracker';
import { resolveServerPath } from './core/serverPath';
import { ServerLaunch } from './core/serverProcess';
import { ServerSupervisor } from './core/serverSupervisor';
import { BlockCodeLens, blockDocuments } from './editor/blockCodeLens';
import { ChangesReview } from './editor/changesReview';
import { createDiagnosticsView } from './editor/diagnosticsView';
import { RunCommands } from './editor/runCommands';
import { RunTerminals } from './editor/runTerminal';
import { reportNoIsolation } from './editor/sandboxUnavailable';
import { readSettings } from './editor/settings';
import { RunStatusBar } from './editor/statusBar';

let supervisor: ServerSupervisor | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Airlock');
  const serverPath = () => resolveServerPath({
    configured: readSettings().serverPath,
    pathVariable: process.env.PATH,
    platform: process.platform,
    fallbacks: [
      path.join(context.extensionPath, 'bin', process.platform === 'win32' ? 'airlock.exe' : 'airlock'),
      path.join(context.extensionPath, '..', '..', 'build', 'airlock'),
    ],
  });
  const launch = (): ServerLaunch => {
    const command = serverPath();
    if (!command) {
      throw new Error('no airlock binary found: set airlock.serverPath, or put airlock on PATH');
    }
    const logFile = readSettings().logFile;
    log.appendLine(`starting ${command} serve${logFile ? ` --log-file ${logFile}` : ''}`);
    return {
      command,
      args: logFile ? ['--log-file', logFile] : [],
      clientName: 'vscode-airlock',
      clientVersion: String(context.extension.packageJSON.version),
      onLog: (line) => log.appendLine(line),
    };
  };

  const tracker = new RunTracker();
  const terminals = new RunTerminals(tracker);
  const { store: diagnostics, collection } = createDiagnosticsView();
  const review = new ChangesReview();
  const statusBar = new RunStatusBar(tracker);
  supervisor = new ServerSupervisor(() => {
    try {
      return launch();
    } catch (error) {
      log.appendLine(String(error));
      throw error;
    }
  });
  const current = supervisor;
  const commands = new RunCommands({ supervisor: current, tracker, terminals, diagnostics, review, log, serverPath });

  current.onStateChange((state) => {
    statusBar.setServerState(state);
    if (state.kind === 'restarting') log.appendLine(`${state.reason}; restarting in ${state.delayMs} ms`);
    if (state.kind === 'failed') {
      log.appendLine(`giving up: ${state.reason}`);
      void vscode.window.showErrorMessage(`Airlock server is not running: ${state.reason}`, 'Show Log')
        .then((choice) => choice && log.show(true));
    }
  });
  current.onReady((server) => {
    server.onDiagnostics((params) => diagnostics.publish(params));
    const { isolation, languages } = server.capabilities;
    log.appendLine(`airlock ${server.serverInfo?.version ?? ''} ready: isolation [${isolation.join(', ')}], ` +
      `languages [${languages.join(', ')}]`);
    if (isolation.length === 0) void reportNoIsolation(serverPath(), log);
  });

  context.subscriptions.push(
    log, terminals, collection, review, statusBar,
    vscode.commands.registerCommand('airlock.runFile', (uri?: vscode.Uri) => commands.runFile(uri)),
    vscode.commands.registerCommand('airlock.runSelection', () => commands.runSelection()),
    vscode.commands.registerCommand('airlock.runBlock', (uri: vscode.Uri, line: number) => commands.runBlock(uri, line)),
    vscode.commands.registerCommand('airlock.cancelRun', () => commands.cancelRun()),
    vscode.commands.registerCommand('airlock.applyChanges', () => review.apply()),
    vscode.commands.registerCommand('airlock.discardChanges', () => review.discard()),
    vscode.commands.registerCommand('airlock.showOutput', () => commands.showOutput()),
    vscode.commands.registerCommand('airlock.runStatus', () => commands.runStatus()),
    vscode.commands.registerCommand('airlock.restartServer', () => current.restart().catch(() => undefined)),
    vscode.languages.registerCodeLensProvider(blockDocuments, new BlockCodeLens()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('airlock.serverPath') || event.affectsConfiguration('airlock.logFile')) {
        void current.restart().catch(() => undefined);
      }
    }),
  );
  current.server().catch(() => undefined);
}

export async function deactivate(): Promise<void> {
  await supervisor?.dispose();
  supervisor = undefined;
}
