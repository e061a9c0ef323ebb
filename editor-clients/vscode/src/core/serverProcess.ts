// One running `airlock serve` process and its JSON-RPC connection: start, initialize, typed calls, clean stop.

import { spawn, ChildProcess } from 'node:child_process';
import {
  CancellationToken, Emitter, Event, MessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import {
  ApplyChangesResult, ExecuteParams, InitializeResult, OutputParams, PublishDiagnosticsParams, ReadChangedFileResult,
  RunResult, SandboxCapabilities, StartedParams, applyChangesRequest, cancelRunRequest, discardChangesRequest,
  executeRequest, exitNotification, exitedNotification, initializeRequest, initializedNotification, inputNotification,
  logMessageNotification, outputNotification, publishDiagnosticsNotification, readChangedFileRequest, shutdownRequest,
  startedNotification,
} from './protocol';

export interface ServerLaunch {
  command: string;
  args: string[];  // after `serve`, e.g. ['--log-file', path]
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  clientName: string;
  clientVersion: string;
  // Each line the server writes to stderr (its log when no log file is set).
  onLog?: (line: string) => void;
}

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;  // true when stop() asked for it
}

export class ServerStartError extends Error {
  constructor(message: string, readonly cause?: unknown) {
    super(message);
    this.name = 'ServerStartError';
  }
}

const shutdownTimeoutMs = 3000;
const exitTimeoutMs = 3000;

export class ServerProcess {
  private readonly startedEmitter = new Emitter<StartedParams>();
  private readonly outputEmitter = new Emitter<OutputParams>();
  private readonly exitedEmitter = new Emitter<RunResult>();
  private readonly diagnosticsEmitter = new Emitter<PublishDiagnosticsParams>();
  private readonly closedEmitter = new Emitter<ServerExit>();
  private stopping = false;
  private exit: ServerExit | undefined;
  private readonly exited: Promise<ServerExit>;

  readonly onStarted: Event<StartedParams> = this.startedEmitter.event;
  readonly onOutput: Event<OutputParams> = this.outputEmitter.event;
  readonly onExited: Event<RunResult> = this.exitedEmitter.event;
  readonly onDiagnostics: Event<PublishDiagnosticsParams> = this.diagnosticsEmitter.event;
  // Fires once when the process has ended, whether asked to or not.
  readonly onClosed: Event<ServerExit> = this.closedEmitter.event;

  capabilities: SandboxCapabilities = { languages: [], isolation: [], workspaceModes: [], interactive: false };
  serverInfo: InitializeResult['serverInfo'];

  private constructor(private readonly child: ChildProcess, private readonly connection: MessageConnection,
                      onLog: ((line: string) => void) | undefined) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal, expected: this.stopping };
        this.connection.dispose();
        this.closedEmitter.fire(this.exit);
        resolve(this.exit);
      });
    });
    connection.onNotification(startedNotification, (p) => this.startedEmitter.fire(p));
    connection.onNotification(outputNotification, (p) => this.outputEmitter.fire(p));
    connection.onNotification(exitedNotification, (p) => this.exitedEmitter.fire(p));
    connection.onNotification(publishDiagnosticsNotification, (p) => this.diagnosticsEmitter.fire(p));
    connection.onNotification(logMessageNotification, (p) => onLog?.(p.message));
    // A write to a server that just died surfaces here; the exit handler reports the death itself.
    connection.onError(() => undefined);
    connection.listen();
  }

  // Spawns `<command> serve <args>` and completes the initialize handshake.
  static async start(launch: ServerLaunch): Promise<ServerProcess> {
    const child = spawn(launch.command, ['serve', ...launch.args], {
      cwd: launch.cwd, env: launch.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error: NodeJS.ErrnoException) => reject(new ServerStartError(
        `cannot start "${launch.command} serve": ${error.code ?? error.message}. ` +
        'Set airlock.serverPath to the airlock binary, or put airlock on PATH.', error)));
    });
    child.on('error', () => undefined);
    child.stdin!.on('error', () => undefined);
    forwardLines(child.stderr!, launch.onLog);

    const connection = createMessageConnection(
      new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const server = new ServerProcess(child, connection, launch.onLog);
    try {
      const result = await Promise.race([
        connection.sendRequest(initializeRequest, {
          processId: process.pid, rootUri: null,
          clientInfo: { name: launch.clientName, version: launch.clientVersion }, capabilities: {},
        }),
        server.exited.then((exit) => {
          throw new ServerStartError(`airlock serve ended during initialize (${describeExit(exit)})`);
        }),
      ]);
      server.capabilities = { ...server.capabilities, ...result.capabilities.sandbox };
      server.serverInfo = result.serverInfo;
      await connection.sendNotification(initializedNotification, {});
    } catch (error) {
      server.kill();
      throw error instanceof ServerStartError ? error : new ServerStartError(
        `airlock serve did not answer initialize: ${errorMessage(error)}`, error);
    }
    return server;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get isRunning(): boolean {
    return this.exit === undefined;
  }

  execute(params: ExecuteParams, token?: CancellationToken): Promise<RunResult> {
    return this.connection.sendRequest(executeRequest, params, token);
  }

  async cancel(runId: string): Promise<boolean> {
    return (await this.connection.sendRequest(cancelRunRequest, { runId })).cancelled;
  }

  async input(runId: string, text: string, eof?: boolean): Promise<void> {
    await this.connection.sendNotification(inputNotification, eof ? { runId, text, eof } : { runId, text });
  }

  applyChanges(runId: string, paths?: string[]): Promise<ApplyChangesResult> {
    return this.connection.sendRequest(applyChangesRequest, paths ? { runId, paths } : { runId });
  }

  async discardChanges(runId: string): Promise<void> {
    await this.connection.sendRequest(discardChangesRequest, { runId });
  }

  readChangedFile(runId: string, path: string): Promise<ReadChangedFileResult> {
    return this.connection.sendRequest(readChangedFileRequest, { runId, path });
  }

  // shutdown + exit as LSP asks; a server that does not comply in time is killed, so this always ends it.
  async stop(): Promise<ServerExit> {
    if (this.exit) return this.exit;
    this.stopping = true;
    try {
      await withTimeout(this.connection.sendRequest(shutdownRequest), shutdownTimeoutMs);
      await this.connection.sendNotification(exitNotification);
    } catch {
      // Unresponsive or already gone: the kill below ends it.
    }
    this.child.stdin?.end();
    const exit = await withTimeout(this.exited, exitTimeoutMs).catch(() => undefined);
    if (exit) return exit;
    this.kill();
    return this.exited;
  }

  kill(): void {
    if (this.exit === undefined) this.child.kill('SIGKILL');
  }
}

export function describeExit(exit: ServerExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

function forwardLines(stream: NodeJS.ReadableStream, onLine?: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine?.(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (pending) onLine?.(pending);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}
