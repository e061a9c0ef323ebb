// Keeps one airlock server alive for the editor: starts it, restarts it with backoff after a crash, stops it cleanly.

import { Emitter, Event } from 'vscode-jsonrpc';
import { Backoff, BackoffOptions, defaultBackoff } from './backoff';
import { ServerExit, ServerLaunch, ServerProcess, describeExit, errorMessage } from './serverProcess';

export type SupervisorState =
  | { kind: 'starting' }
  | { kind: 'ready'; server: ServerProcess }
  | { kind: 'restarting'; reason: string; delayMs: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'stopped' };

export class ServerSupervisor {
  private readonly stateEmitter = new Emitter<SupervisorState>();
  private readonly readyEmitter = new Emitter<ServerProcess>();
  private readonly backoff: Backoff;
  private current: Promise<ServerProcess> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  state: SupervisorState = { kind: 'stopped' };

  readonly onStateChange: Event<SupervisorState> = this.stateEmitter.event;
  // Fires for every server that finished initialize, the first one and each restart.
  readonly onReady: Event<ServerProcess> = this.readyEmitter.event;

  constructor(private readonly launch: () => ServerLaunch, backoff: BackoffOptions = defaultBackoff) {
    this.backoff = new Backoff(backoff);
  }

  // The running server, starting one if none runs (also after the supervisor gave up: the user asked again).
  server(): Promise<ServerProcess> {
    if (this.disposed) return Promise.reject(new Error('the Airlock extension is shutting down'));
    if (!this.current || this.state.kind === 'failed') {
      if (this.state.kind === 'failed') this.backoff.reset();
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      this.current = this.spawn();
    }
    return this.current;
  }

  async restart(): Promise<ServerProcess> {
    const previous = this.current;
    this.current = undefined;
    this.backoff.reset();
    if (previous) await previous.then((server) => server.stop(), () => undefined);
    return this.server();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.restartTimer);
    const previous = this.current;
    this.current = undefined;
    if (previous) await previous.then((server) => server.stop(), () => undefined);
    this.setState({ kind: 'stopped' });
  }

  private spawn(): Promise<ServerProcess> {
    this.setState({ kind: 'starting' });
    const startedAt = Date.now();
    // A launch that cannot even be described (no binary found) fails like a start that failed: with backoff.
    const attempt = Promise.resolve().then(() => ServerProcess.start(this.launch()));
    attempt.then((server) => {
      if (this.current !== attempt || this.disposed) {
        void server.stop();
        return;
      }
      this.setState({ kind: 'ready', server });
      this.readyEmitter.fire(server);
      server.onClosed((exit) => this.closed(attempt, exit, Date.now() - startedAt));
    }, (error) => {
      if (this.current === attempt) this.scheduleRestart(errorMessage(error), 0);
    });
    return attempt;
  }

  private closed(attempt: Promise<ServerProcess>, exit: ServerExit, uptimeMs: number): void {
    if (exit.expected || this.current !== attempt || this.disposed) return;
    this.scheduleRestart(`airlock serve stopped unexpectedly (${describeExit(exit)})`, uptimeMs);
  }

  private scheduleRestart(reason: string, uptimeMs: number): void {
    const delayMs = this.backoff.nextDelay(uptimeMs);
    if (delayMs === undefined) {
      this.setState({ kind: 'failed', reason });
      return;
    }
    this.setState({ kind: 'restarting', reason, delayMs });
    const pending = new Promise<ServerProcess>((resolve, reject) => {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        if (this.current !== pending) return;
        this.current = this.spawn();
        this.current.then(resolve, reject);
      }, delayMs);
    });
    pending.catch(() => undefined);
    this.current = pending;
  }

  private setState(state: SupervisorState): void {
    this.state = state;
    this.stateEmitter.fire(state);
  }
}
