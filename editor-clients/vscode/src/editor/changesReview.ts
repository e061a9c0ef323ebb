// Review of an overlay run's changes: a notification listing them with Apply / Discard / Show Diff, the two
// commands, and the diff editor between each workspace file and the sandbox's version of it.

import * as vscode from 'vscode';
import { changedFileText, describeApply } from '../core/changeReview';
import { basename, resolveInFolder } from '../core/paths';
import { Change } from '../core/protocol';
import { ServerProcess, errorMessage } from '../core/serverProcess';

export const sandboxScheme = 'airlock-sandbox';

interface PendingReview {
  runId: string;
  label: string;
  server: ServerProcess;
  folder: string;  // absolute path of the workspace folder
  changes: Change[];
}

const listedInNotification = 5;

export class ChangesReview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly pending = new Map<string, PendingReview>();
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(sandboxScheme, this);
  }

  dispose(): void {
    this.registration.dispose();
  }

  offer(review: PendingReview): void {
    this.pending.set(review.runId, review);
    // The overlay lives in that server process; when it goes, so does what there was to review.
    review.server.onClosed(() => {
      if (this.pending.delete(review.runId)) this.updateContext();
    });
    this.updateContext();
    void this.notify(review);
  }

  async apply(chosen?: PendingReview): Promise<void> {
    const review = chosen ?? await this.pick('Apply the changes of which run?');
    if (!review) return;
    try {
      const { severity, message } = describeApply(await review.server.applyChanges(review.runId));
      this.forget(review);
      void (severity === 'warning' ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
    } catch (error) {
      void vscode.window.showErrorMessage(`Airlock could not apply the changes: ${errorMessage(error)}`);
    }
  }

  async discard(chosen?: PendingReview): Promise<void> {
    const review = chosen ?? await this.pick('Discard the changes of which run?');
    if (!review) return;
    try {
      await review.server.discardChanges(review.runId);
      this.forget(review);
      void vscode.window.showInformationMessage(`Airlock discarded the changes of ${review.label}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Airlock could not discard the changes: ${errorMessage(error)}`);
    }
  }

  async showDiff(review: PendingReview): Promise<void> {
    const sides = review.changes.map((change) => this.diffSides(review, change))
      .filter((s): s is [vscode.Uri, vscode.Uri, vscode.Uri] => s !== undefined);
    if (sides.length === 1) {
      const [, left, right] = sides[0];
      await vscode.commands.executeCommand('vscode.diff', left, right,
        `${basename(review.changes[0].path)} (workspace ↔ sandbox)`);
    } else if (sides.length > 1) {
      await vscode.commands.executeCommand('vscode.changes', `Airlock: changes of ${review.label}`, sides);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const review = this.pending.get(query.get('run') ?? '');
    const path = query.get('path') ?? '';
    if (query.get('side') === 'absent') return '';
    if (!review) return `The changes of this run are no longer pending (applied, discarded, or the server restarted).`;
    try {
      return changedFileText(await review.server.readChangedFile(review.runId, path));
    } catch (error) {
      return `Airlock could not read the sandbox's version of ${path}: ${errorMessage(error)}`;
    }
  }

  private diffSides(review: PendingReview, change: Change): [vscode.Uri, vscode.Uri, vscode.Uri] | undefined {
    const hostPath = resolveInFolder(review.folder, change.path);
    if (hostPath === undefined) return undefined;
    const workspaceUri = vscode.Uri.file(hostPath);
    const sandboxUri = (side: 'sandbox' | 'absent') => vscode.Uri.from({
      scheme: sandboxScheme, path: `/${change.path}`,
      query: new URLSearchParams({ run: review.runId, path: change.path, side }).toString(),
    });
    const left = change.kind === 'added' ? sandboxUri('absent') : workspaceUri;
    const right = change.kind === 'deleted' ? sandboxUri('absent') : sandboxUri('sandbox');
    return [workspaceUri, left, right];
  }

  private async notify(review: PendingReview): Promise<void> {
    const listed = review.changes.slice(0, listedInNotification).map((c) => `${c.path} (${c.kind})`).join(', ');
    const more = review.changes.length > listedInNotification
      ? ` and ${review.changes.length - listedInNotification} more` : '';
    const choice = await vscode.window.showInformationMessage(
      `${review.label} changed ${review.changes.length} file(s) in the sandbox: ${listed}${more}`,
      'Apply', 'Discard', 'Show Diff');
    if (!this.pending.has(review.runId)) return;
    if (choice === 'Show Diff') {
      await this.showDiff(review);
      return this.notify(review);
    }
    if (choice === 'Apply') await this.apply(review);
    if (choice === 'Discard') await this.discard(review);
  }

  // The most recent run with pending changes, or the user's pick when there are several.
  private async pick(placeHolder: string): Promise<PendingReview | undefined> {
    const reviews = [...this.pending.values()];
    if (reviews.length === 0) {
      void vscode.window.showInformationMessage('Airlock: no run has changes waiting for review.');
      return undefined;
    }
    if (reviews.length === 1) return reviews[0];
    const items = reviews.reverse().map((r) => ({ label: r.label, description: `${r.changes.length} file(s)`, review: r }));
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.review;
  }

  private forget(review: PendingReview): void {
    this.pending.delete(review.runId);
    this.updateContext();
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'airlock.hasPendingChanges', this.pending.size > 0);
  }
}
