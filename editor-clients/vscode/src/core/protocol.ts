// The Airlock wire contract as TypeScript types and vscode-jsonrpc message types. Field names are the wire's.

import { NotificationType, RequestType, RequestType0, NotificationType0 } from 'vscode-jsonrpc';

export type Isolation = 'process' | 'vm' | (string & {});
export type Network = 'none' | 'host';
export type WorkspaceMode = 'readonly' | 'overlay' | 'readwrite';
export type Stream = 'stdout' | 'stderr';
export type RunStatus = 'ok' | 'failed' | 'cancelled' | 'timeout' | 'limit' | 'error';
export type LimitKind = 'memory' | 'processes' | 'output' | 'disk' | 'cpu';
export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface ExecuteLimits {
  timeoutMs?: number;
  memoryMB?: number;
  maxProcesses?: number;
  outputBytes?: number;
  diskMB?: number;
  cpuSeconds?: number;
}
export const limitNames: readonly (keyof ExecuteLimits)[] = [
  'timeoutMs', 'memoryMB', 'maxProcesses', 'outputBytes', 'diskMB', 'cpuSeconds',
];

export interface SandboxCapabilities {
  languages: string[];
  isolation: Isolation[];
  workspaceModes: WorkspaceMode[];
  interactive: boolean;
  // Optional addition of the server: the limits a run gets when it names none, and the most it may ask for.
  limits?: { defaults?: ExecuteLimits; maximums?: ExecuteLimits };
}

export interface InitializeParams {
  processId: number | null;
  rootUri: string | null;
  clientInfo: { name: string; version: string };
  capabilities: Record<string, unknown>;
}
export interface InitializeResult {
  capabilities: { sandbox?: SandboxCapabilities; [other: string]: unknown };
  serverInfo?: { name: string; version?: string };
}

export interface ExecutePolicy {
  isolation?: Isolation;
  network?: Network;
  workspace?: WorkspaceMode;
}
export interface SourceLocation {
  uri: string;
  line: number;  // 0-based line of the snippet's first line
}
export interface ExecuteParams {
  runId?: string;
  workspaceFolder: string;
  code?: string;
  file?: string;
  command?: string[];
  language?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  interactive?: boolean;
  source?: SourceLocation;
  policy?: ExecutePolicy;
  limits?: ExecuteLimits;
}

export interface Change {
  path: string;  // relative to the workspace folder, '/'-separated
  kind: ChangeKind;
}
export interface RunResult {
  runId: string;
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  limit?: LimitKind | null;
  durationMs: number;
  stdoutBytes: number;
  stderrBytes: number;
  truncated: boolean;
  changes?: Change[];
  message?: string;
}

export interface StartedParams {
  runId: string;
  isolation: Isolation;
  workspace: WorkspaceMode;
}
export interface OutputParams {
  runId: string;
  stream: Stream;
  text: string;
  seq: number;
}
export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface DiagnosticRelatedInformation {
  location: { uri: string; range: Range };
  message: string;
}
export interface Diagnostic {
  range: Range;
  severity?: 1 | 2 | 3 | 4;
  code?: string | number;
  source?: string;
  message: string;
  relatedInformation?: DiagnosticRelatedInformation[];
}
export interface PublishDiagnosticsParams {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}
export interface LogMessageParams {
  type: number;
  message: string;
}

export interface ApplyChangesResult {
  applied: string[];
  conflicts: string[];                            // host file changed since the run started; left untouched
  failed?: { path: string; message: string }[];   // could not be applied for another reason; left untouched
}
export interface ReadChangedFileResult {
  path: string;
  kind: ChangeKind;
  type?: 'file' | 'directory' | 'symlink' | null;  // null for a deleted entry
  encoding: 'utf-8' | 'base64';                    // base64 when the bytes are not valid UTF-8
  content?: string | null;                         // null for deleted entries, folders and symlinks
  mode?: number | null;
  target?: string | null;                          // a symlink's target, never followed
}

export const ErrorCodes = {
  serverNotInitialized: -32002,
  methodNotFound: -32601,
  invalidParams: -32602,
  sandboxUnavailable: -32010,
  requestCancelled: -32800,
} as const;

export const initializeRequest = new RequestType<InitializeParams, InitializeResult, void>('initialize');
export const initializedNotification = new NotificationType<Record<string, never>>('initialized');
export const shutdownRequest = new RequestType0<null, void>('shutdown');
export const exitNotification = new NotificationType0('exit');

export const executeRequest = new RequestType<ExecuteParams, RunResult, void>('sandbox/execute');
export const cancelRunRequest = new RequestType<{ runId: string }, { cancelled: boolean }, void>('sandbox/cancel');
export const inputNotification = new NotificationType<{ runId: string; text: string; eof?: boolean }>('sandbox/input');
export const applyChangesRequest =
  new RequestType<{ runId: string; paths?: string[] }, ApplyChangesResult, void>('sandbox/applyChanges');
export const discardChangesRequest = new RequestType<{ runId: string }, null, void>('sandbox/discardChanges');
export const readChangedFileRequest =
  new RequestType<{ runId: string; path: string }, ReadChangedFileResult, void>('sandbox/readChangedFile');

export const startedNotification = new NotificationType<StartedParams>('sandbox/started');
export const outputNotification = new NotificationType<OutputParams>('sandbox/output');
export const exitedNotification = new NotificationType<RunResult>('sandbox/exited');
export const publishDiagnosticsNotification =
  new NotificationType<PublishDiagnosticsParams>('textDocument/publishDiagnostics');
export const logMessageNotification = new NotificationType<LogMessageParams>('window/logMessage');
