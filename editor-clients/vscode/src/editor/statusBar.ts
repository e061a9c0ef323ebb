// The status bar item: the running runs with their elapsed time (click: cancel or show output), else the server's state.

import * as vscode from 'vscode';
import { formatElapsed } from '../core/runReport';
import { RunTracker } from '../core/runTracker';
import { SupervisorState } from '../core/serverSupervisor';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('airlock.runs', vscode.StatusBarAlignment.Left, 50);
  private ticker: NodeJS.Timeout | undefined;
  private serverState: SupervisorState = { kind: 'stopped' };

  constructor(private readonly tracker: RunTracker) {
    this.item.name = 'Airlock runs';
    tracker.onDidChange(() => this.update());
    this.update();
    this.item.show();
  }

  setServerState(state: SupervisorState): void {
    this.serverState = state;
    this.update();
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.item.dispose();
  }

  private update(): void {
    const runs = this.tracker.active();
    void vscode.commands.executeCommand('setContext', 'airlock.hasActiveRun', runs.length > 0);
    if (runs.length > 0 && !this.ticker) this.ticker = setInterval(() => this.update(), 1000);
    if (runs.length === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
    this.item.backgroundColor = undefined;
    if (runs.length > 0) {
      const oldest = Math.min(...runs.map((r) => r.startedAt));
      const what = runs.length === 1 ? runs[0].label : `${runs.length} runs`;
      const cancelling = runs.every((r) => r.cancelling) ? ' (cancelling)' : '';
      this.item.text = `$(loading~spin) ${what} ${formatElapsed(Date.now() - oldest)}${cancelling}`;
      this.item.tooltip = `Airlock: ${runs.map((r) => r.label).join(', ')} running in the sandbox. ` +
        'Click to cancel or show output.';
      this.item.command = 'airlock.runStatus';
      return;
    }
    this.item.command = 'airlock.showOutput';
    switch (this.serverState.kind) {
      case 'ready':
        this.item.text = '$(shield) Airlock';
        this.item.tooltip = `Airlock sandbox ready (${this.serverState.server.capabilities.isolation.join(', ') ||
          'no isolation available'})`;
        break;
      case 'starting':
        this.item.text = '$(loading~spin) Airlock';
        this.item.tooltip = 'Starting the Airlock server';
        break;
      case 'restarting':
        this.item.text = '$(warning) Airlock restarting';
        this.item.tooltip = `${this.serverState.reason}; restarting in ${Math.round(this.serverState.delayMs / 1000)} s`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
      case 'failed':
        this.item.text = '$(error) Airlock';
        this.item.tooltip = `${this.serverState.reason}. Run "Airlock: Restart Server" to try again.`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
      case 'stopped':
        this.item.text = '$(shield) Airlock';
        this.item.tooltip = 'Airlock server stopped';
        break;
    }
  }
}
