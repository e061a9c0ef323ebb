// The run commands: what to run from the editor's state (file, selection, fenced block), and starting it.

import * as vscode from 'vscode';
import { fencedBlockAt } from '../core/fencedBlocks';
import { airlockLanguage } from '../core/languages';
import { RunTarget, buildRunRequest } from '../core/runRequest';
import { RunTracker, TrackedRun } from '../core/runTracker';
import { ServerProcess, errorMessage } from '../core/serverProcess';
import { ServerSupervisor } from '../core/serverSupervisor';
import { SettingsError } from '../core/settings';
import { ErrorCodes } from '../core/protocol';
import { formatElapsed } from '../core/runReport';
import { ChangesReview } from './changesReview';
import { DiagnosticsStore } from '../core/diagnosticsStore';
import { RunTerminals } from './runTerminal';
import { readSettings } from './settings';
import { reportNoIsolation, reportSandboxUnavailable } from './sandboxUnavailable';

export interface RunServices {
  supervisor: ServerSupervisor;
  tracker: RunTracker;
  terminals: RunTerminals;
  diagnostics: DiagnosticsStore;
  review: ChangesReview;
  log: vscode.OutputChannel;
  serverPath: () => string | undefined;
}

class UserError extends Error {}

export class RunCommands {
  constructor(private readonly services: RunServices) {}

  async runFile(resource?: vscode.Uri): Promise<void> {
    await this.guard(async () => {
      const document = resource instanceof vscode.Uri
        ? await vscode.workspace.openTextDocument(resource)
        : this.activeEditor().document;
      const settings = readSettings(document.uri);
      if (document.isDirty && settings.saveBeforeRun && !document.isUntitled) await document.save();
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      if (document.uri.scheme === 'file' && folder && folder.uri.scheme === 'file') {
        return this.start({
          kind: 'file', workspaceFolder: folder.uri.fsPath, filePath: document.uri.fsPath,
          language: airlockLanguage(document.languageId),
        }, document.uri);
      }
      // Untitled, or outside every workspace folder: run its text as a snippet that points back at the document.
      return this.runCode(document, document.getText(), 0, await this.languageOf(document.languageId));
    });
  }

  async runSelection(): Promise<void> {
    await this.guard(async () => {
      const editor = this.activeEditor();
      const { document, selection } = editor;
      if (!selection.isEmpty) {
        const block = fencedBlockAt(document.getText(), selection.start.line);
        const language = block && block.firstCodeLine <= selection.start.line ? block.info : document.languageId;
        return this.runCode(document, document.getText(selection), selection.start.line, await this.languageOf(language));
      }
      const block = fencedBlockAt(document.getText(), selection.active.line);
      if (block) return this.runBlockOf(document, block.openLine);
      if (airlockLanguage(document.languageId) === undefined) {
        throw new UserError('Select the code to run, or put the cursor inside a fenced code block (```).');
      }
      const line = document.lineAt(selection.active.line);
      return this.runCode(document, `${line.text}\n`, line.lineNumber, await this.languageOf(document.languageId));
    });
  }

  async runBlock(uri: vscode.Uri, openLine: number): Promise<void> {
    await this.guard(async () => this.runBlockOf(await vscode.workspace.openTextDocument(uri), openLine));
  }

  async cancelRun(): Promise<void> {
    const run = await this.pickRun('Cancel which run?');
    if (run) await this.services.tracker.cancel(run);
  }

  showOutput(): void {
    if (!this.services.terminals.show()) this.services.log.show(true);
  }

  // The status bar's click: cancel a run or show its output.
  async runStatus(): Promise<void> {
    const runs = this.services.tracker.active();
    if (runs.length === 0) return this.showOutput();
    const items = runs.flatMap((run) => [
      { label: `$(debug-stop) Cancel ${run.label}`, description: formatElapsed(Date.now() - run.startedAt), run, cancel: true },
      { label: `$(terminal) Show output of ${run.label}`, description: '', run, cancel: false },
    ]);
    const choice = await vscode.window.showQuickPick(items, { placeHolder: 'Airlock runs' });
    if (!choice) return;
    if (choice.cancel) await this.services.tracker.cancel(choice.run);
    else this.services.terminals.show(choice.run);
  }

  private async runBlockOf(document: vscode.TextDocument, openLine: number): Promise<void> {
    const block = fencedBlockAt(document.getText(), openLine);
    if (!block || block.code === '') throw new UserError('There is no code in this fenced block.');
    const fallback = document.languageId === 'markdown' || document.languageId === 'plaintext' ? '' : document.languageId;
    return this.runCode(document, block.code, block.firstCodeLine, await this.languageOf(block.info || fallback));
  }

  private async runCode(document: vscode.TextDocument, code: string, line: number, language: string): Promise<void> {
    const folder = this.folderFor(document.uri);
    return this.start({
      kind: 'code', workspaceFolder: folder, code, language,
      source: { uri: document.uri.toString(), line },
      ...(document.uri.scheme === 'file' ? { sourcePath: document.uri.fsPath } : {}),
    }, document.uri);
  }

  private async start(target: RunTarget, document: vscode.Uri): Promise<void> {
    const { terminals, diagnostics, review } = this.services;
    const server = await this.server();
    const request = buildRunRequest(target, readSettings(document), server.capabilities);
    const run = terminals.start(request.label, request.params, server, server.capabilities.limits?.defaults);
    diagnostics.runStarted(run.runId, document.toString());
    const outcome = await run.whenFinished();
    diagnostics.runFinished(run.runId, outcome.kind === 'result' && outcome.result.status === 'ok');
    if (outcome.kind === 'error' && outcome.code === ErrorCodes.sandboxUnavailable) {
      return reportSandboxUnavailable(outcome.message, this.services.serverPath(), this.services.log);
    }
    const changes = outcome.kind === 'result' ? outcome.result.changes ?? [] : [];
    // The overlay lives in the server process that ran it; after a restart there is nothing left to review.
    if (changes.length > 0 && server.isRunning) {
      review.offer({ runId: run.runId, label: request.label, server, folder: target.workspaceFolder, changes });
    }
  }

  private async server(): Promise<ServerProcess> {
    const { supervisor } = this.services;
    const server = supervisor.state.kind === 'ready' ? await supervisor.server()
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Starting Airlock' },
        () => supervisor.server());
    if (server.capabilities.isolation.length === 0) throw new NoIsolation();
    return server;
  }

  // The workspace folder a document belongs to; for a loose document the only (or first) open folder.
  private folderFor(uri: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new UserError('Open a folder first: Airlock maps a workspace folder into the sandbox.');
    if (folder.uri.scheme !== 'file') {
      throw new UserError(`Airlock runs code in local folders only; ${folder.uri.toString()} is not one.`);
    }
    return folder.uri.fsPath;
  }

  private async languageOf(name: string): Promise<string> {
    const known = airlockLanguage(name);
    if (known) return known;
    const server = await this.server();
    const picked = await vscode.window.showQuickPick(server.capabilities.languages,
      { placeHolder: 'Which language is this code in?' });
    if (!picked) throw new UserError('');
    return picked;
  }

  private activeEditor(): vscode.TextEditor {
    const editor = vscode.window.activeTextEditor;
    if (!editor) throw new UserError('Open a file or select code to run in the sandbox.');
    return editor;
  }

  private async pickRun(placeHolder: string): Promise<TrackedRun | undefined> {
    const runs = this.services.tracker.active();
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('Airlock: no run is active.');
      return undefined;
    }
    if (runs.length === 1) return runs[0];
    const picked = await vscode.window.showQuickPick(
      runs.map((run) => ({ label: run.label, description: formatElapsed(Date.now() - run.startedAt), run })),
      { placeHolder });
    return picked?.run;
  }

  // Every failure ends in a message that says what to do; none leaves a run half-started.
  private async guard(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (error instanceof NoIsolation) {
        await reportNoIsolation(this.services.serverPath(), this.services.log);
      } else if (error instanceof UserError) {
        if (error.message) void vscode.window.showWarningMessage(`Airlock: ${error.message}`);
      } else if (error instanceof SettingsError) {
        const choice = await vscode.window.showErrorMessage(`Airlock did not run: ${error.message}`, 'Open Settings');
        if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'airlock');
      } else {
        void vscode.window.showErrorMessage(`Airlock: ${errorMessage(error)}`);
      }
    }
  }
}

// The server runs but can sandbox nothing here: nothing is run, and the user learns why.
class NoIsolation extends Error {}
