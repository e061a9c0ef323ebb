// Bookkeeping of the runs this editor started: routes each server notification to its run, finishes every run
// exactly once (from sandbox/exited, the execute response, or the server's death), and cancels both ways.

import { CancellationTokenSource, Emitter, Event, ResponseError } from 'vscode-jsonrpc';
import { ErrorCodes, ExecuteParams, RunResult, StartedParams, Stream } from './protocol';
import { ServerProcess, describeExit, errorMessage } from './serverProcess';

export type RunOutcome =
  | { kind: 'result'; result: RunResult }
  | { kind: 'error'; message: string; code?: number };

export interface RunObserver {
  started(info: StartedParams): void;
  output(stream: Stream, text: string): void;
  finished(outcome: RunOutcome): void;
}

export type CancelVia = 'sandbox/cancel' | '$/cancelRequest';

// Some servers answer a $/cancelRequest'ed execute with -32800 before sandbox/exited; wait this long for the latter.
const exitedGraceMs = 2000;

export class TrackedRun {
  readonly startedAt = Date.now();
  info: StartedParams | undefined;
  cancelling = false;
  private outcome: RunOutcome | undefined;
  private readonly done: Promise<RunOutcome>;
  private resolveDone!: (outcome: RunOutcome) => void;
  readonly tokenSource = new CancellationTokenSource();

  constructor(readonly runId: string, readonly label: string, readonly params: ExecuteParams,
              readonly server: ServerProcess, private readonly observer: RunObserver,
              private readonly onFinish: (run: TrackedRun) => void) {
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
  }

  get finished(): boolean {
    return this.outcome !== undefined;
  }

  get interactive(): boolean {
    return this.params.interactive === true;
  }

  whenFinished(): Promise<RunOutcome> {
    return this.done;
  }

  markStarted(info: StartedParams): void {
    if (this.finished || this.info) return;
    this.info = info;
    this.observer.started(info);
  }

  deliverOutput(stream: Stream, text: string): void {
    if (!this.finished) this.observer.output(stream, text);
  }

  finish(outcome: RunOutcome): void {
    if (this.finished) return;
    this.outcome = outcome;
    this.tokenSource.dispose();
    this.observer.finished(outcome);
    this.onFinish(this);
    this.resolveDone(outcome);
  }
}

export class RunTracker {
  private readonly runs = new Map<string, TrackedRun>();
  private readonly attached = new WeakSet<ServerProcess>();
  private readonly changeEmitter = new Emitter<void>();
  private readonly runIdPrefix = `vscode-${process.pid}-${Date.now().toString(36)}`;
  private nextRunNumber = 1;

  // Fires when a run starts, is being cancelled, or finishes.
  readonly onDidChange: Event<void> = this.changeEmitter.event;

  active(): TrackedRun[] {
    return [...this.runs.values()];
  }

  get(runId: string): TrackedRun | undefined {
    return this.runs.get(runId);
  }

  start(server: ServerProcess, params: ExecuteParams, label: string, observer: RunObserver): TrackedRun {
    this.attach(server);
    const runId = params.runId ?? `${this.runIdPrefix}-${this.nextRunNumber++}`;
    const run = new TrackedRun(runId, label, { ...params, runId }, server, observer, (finished) => {
      this.runs.delete(finished.runId);
      this.changeEmitter.fire();
    });
    this.runs.set(runId, run);
    this.changeEmitter.fire();
    server.execute(run.params, run.tokenSource.token).then(
      (result) => run.finish({ kind: 'result', result }),
      (error) => this.executeFailed(run, error));
    return run;
  }

  // sandbox/cancel asks the server by run id; $/cancelRequest cancels the execute request itself. If the server
  // no longer knows the run by id (it may be between steps), the request is cancelled instead, so Stop stops.
  async cancel(run: TrackedRun, via: CancelVia = 'sandbox/cancel'): Promise<void> {
    if (run.finished) return;
    run.cancelling = true;
    this.changeEmitter.fire();
    if (via === 'sandbox/cancel') {
      const cancelled = await run.server.cancel(run.runId).catch(() => false);
      if (cancelled || run.finished) return;
    }
    run.tokenSource.cancel();
  }

  async input(run: TrackedRun, text: string, eof?: boolean): Promise<void> {
    if (!run.finished) await run.server.input(run.runId, text, eof);
  }

  private attach(server: ServerProcess): void {
    if (this.attached.has(server)) return;
    this.attached.add(server);
    const own = (runId: string) => {
      const run = this.runs.get(runId);
      return run && run.server === server ? run : undefined;
    };
    server.onStarted((info) => own(info.runId)?.markStarted(info));
    server.onOutput((output) => own(output.runId)?.deliverOutput(output.stream, output.text));
    server.onExited((result) => own(result.runId)?.finish({ kind: 'result', result }));
    server.onClosed((exit) => {
      for (const run of this.active().filter((r) => r.server === server)) {
        run.finish({ kind: 'error', message: `the Airlock server stopped (${describeExit(exit)}); the run was lost` });
      }
    });
  }

  private executeFailed(run: TrackedRun, error: unknown): void {
    if (error instanceof ResponseError && error.code === ErrorCodes.requestCancelled) {
      setTimeout(() => run.finish({ kind: 'error', message: 'cancelled', code: error.code }), exitedGraceMs);
      return;
    }
    const code = error instanceof ResponseError ? error.code : undefined;
    run.finish({ kind: 'error', message: errorMessage(error), code });
  }
}
