// A run's output in a terminal panel: live, coloured, with typed input going to the program's stdin and Ctrl-C
// cancelling. Finished terminals are reused for the next run so runs do not pile up tabs.

import * as vscode from 'vscode';
import { formatFooter, formatHeader, formatSandboxLine } from '../core/runReport';
import { RunObserver, RunOutcome, RunTracker, TrackedRun } from '../core/runTracker';
import { ExecuteLimits, ExecuteParams, StartedParams, Stream } from '../core/protocol';
import { LineDiscipline, OutputRenderer } from '../core/terminalText';

class RunTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly terminal: vscode.Terminal;
  // VS Code drops writes made before open(); keep them until then.
  private pending: string[] | undefined = [];
  private renderer = new OutputRenderer();
  private discipline = new LineDiscipline();
  run: TrackedRun | undefined;
  closed = false;

  constructor(private readonly tracker: RunTracker, private readonly onClosed: (t: RunTerminal) => void) {
    this.terminal = vscode.window.createTerminal({ name: 'Airlock', pty: this, iconPath: new vscode.ThemeIcon('shield') });
  }

  get busy(): boolean {
    return this.run !== undefined && !this.run.finished;
  }

  open(): void {
    const pending = this.pending ?? [];
    this.pending = undefined;
    for (const text of pending) this.writeEmitter.fire(text);
  }

  close(): void {
    this.closed = true;
    // Closing the panel of a running program stops the program, as closing a terminal does.
    if (this.run && !this.run.finished) void this.tracker.cancel(this.run);
    this.onClosed(this);
  }

  handleInput(data: string): void {
    const run = this.run;
    if (!run || run.finished) return;
    if (!run.interactive) {
      if (data.includes('\x03')) this.interrupt(run);
      return;
    }
    const typed = this.discipline.feed(data);
    this.write(this.renderer.plain(typed.echo));
    for (const send of typed.sends) void this.tracker.input(run, send.text, send.eof);
    if (typed.interrupt) this.interrupt(run);
  }

  beginRun(label: string, params: ExecuteParams): void {
    this.discipline = new LineDiscipline();
    const separator = this.run ? this.renderer.freshLine() + this.renderer.plain('\n') : '';
    this.write(separator + this.renderer.plain(formatHeader(label, params)));
  }

  observer(params: ExecuteParams, defaultLimits: ExecuteLimits | undefined): RunObserver {
    return {
      started: (info: StartedParams) => this.write(this.renderer.plain(formatSandboxLine(info, params, defaultLimits))),
      output: (stream: Stream, text: string) => this.write(this.renderer.output(stream, text)),
      finished: (outcome: RunOutcome) => {
        const elapsed = this.run ? Date.now() - this.run.startedAt : 0;
        this.write(this.renderer.freshLine() + this.renderer.plain(formatFooter(outcome, elapsed)));
      },
    };
  }

  private interrupt(run: TrackedRun): void {
    this.write(this.renderer.freshLine() + this.renderer.plain('cancelling…\n'));
    void this.tracker.cancel(run);
  }

  private write(text: string): void {
    if (text === '') return;
    if (this.pending) this.pending.push(text);
    else this.writeEmitter.fire(text);
  }
}

export class RunTerminals implements vscode.Disposable {
  private readonly terminals: RunTerminal[] = [];
  private latest: RunTerminal | undefined;

  constructor(private readonly tracker: RunTracker) {}

  // A terminal for a new run: an idle one if there is one, so runs of one file read as a history.
  start(label: string, params: ExecuteParams, server: Parameters<RunTracker['start']>[0],
        defaultLimits: ExecuteLimits | undefined): TrackedRun {
    const terminal = this.terminals.find((t) => !t.busy && !t.closed) ?? this.create();
    terminal.beginRun(label, params);
    const run = this.tracker.start(server, params, label, terminal.observer(params, defaultLimits));
    terminal.run = run;
    this.latest = terminal;
    terminal.terminal.show(true);
    // A reused terminal may be scrolled back into an earlier run; the new run's header must be in view.
    void vscode.commands.executeCommand('workbench.action.terminal.scrollToBottom');
    return run;
  }

  // The terminal of the given run, or of the latest run; false when there is none to show.
  show(run?: TrackedRun): boolean {
    const terminal = run ? this.terminals.find((t) => t.run === run) : this.latest;
    if (!terminal || terminal.closed) return false;
    terminal.terminal.show(false);
    return true;
  }

  dispose(): void {
    for (const t of [...this.terminals]) t.terminal.dispose();
  }

  private create(): RunTerminal {
    const terminal = new RunTerminal(this.tracker, (closed) => {
      this.terminals.splice(this.terminals.indexOf(closed), 1);
      if (this.latest === closed) this.latest = this.terminals[this.terminals.length - 1];
    });
    this.terminals.push(terminal);
    return terminal;
  }
}
