// The header and footer a run's terminal shows: what ran, where, how isolated, and how it ended.

import { ErrorCodes, ExecuteLimits, ExecuteParams, RunResult, StartedParams } from './protocol';
import { RunOutcome } from './runTracker';
import { ansi } from './terminalText';

export function formatHeader(label: string, params: ExecuteParams): string {
  const where = params.cwd && params.cwd !== '.' ? `${params.workspaceFolder} › ${params.cwd}` : params.workspaceFolder;
  const lines = [
    `${ansi.bold}${ansi.cyan}▶ ${label}${ansi.reset}${ansi.dim} (${params.language ?? 'language from file name'})${ansi.reset}`,
    `${ansi.dim}  in ${where}${ansi.reset}`,
  ];
  if (params.interactive) {
    lines.push(`${ansi.dim}  input: type here, Enter sends a line, Ctrl-D ends input, Ctrl-C cancels${ansi.reset}`);
  }
  return `${lines.join('\n')}\n`;
}

// Printed when the server reports the sandbox running: what the server actually set up, not what was asked for.
export function formatSandboxLine(info: StartedParams, params: ExecuteParams, defaults?: ExecuteLimits): string {
  const limits = describeLimits({ ...defaults, ...params.limits });
  return `${ansi.dim}  sandbox: ${info.isolation} isolation · network ${params.policy?.network ?? 'none'} · ` +
    `workspace ${info.workspace} · ${limits}${ansi.reset}\n`;
}

export function formatFooter(outcome: RunOutcome, elapsedMs: number): string {
  if (outcome.kind === 'error') {
    if (outcome.code === ErrorCodes.requestCancelled) {
      return `${ansi.yellow}■ cancelled${ansi.reset} · ${formatDuration(elapsedMs)}\n`;
    }
    const what = outcome.code === ErrorCodes.sandboxUnavailable ? 'sandbox unavailable' : 'error';
    return `${ansi.red}✖ ${what}${ansi.reset}: ${outcome.message}\n`;
  }
  const r = outcome.result;
  const parts = [statusText(r), exitText(r), formatDuration(r.durationMs),
    `${formatBytes(r.stdoutBytes)} stdout, ${formatBytes(r.stderrBytes)} stderr`];
  const lines = [parts.filter((p) => p !== '').join(' · ')];
  if (r.truncated) lines.push(`${ansi.yellow}  output truncated at the output limit${ansi.reset}`);
  // With ok, a limit the run met and coped with (e.g. forks refused at the process limit).
  if (r.message) lines.push(`  ${r.message}`);
  const changes = r.changes ?? [];
  if (changes.length > 0) {
    lines.push(`${ansi.cyan}  ${changes.length} file${changes.length === 1 ? '' : 's'} changed in the sandbox: ` +
      `review, then Airlock: Apply Changes or Airlock: Discard Changes${ansi.reset}`);
  }
  return `${lines.join('\n')}\n`;
}

function statusText(r: RunResult): string {
  switch (r.status) {
    case 'ok': return `${ansi.green}■ ok${ansi.reset}`;
    case 'failed': return `${ansi.red}✖ failed${ansi.reset}`;
    case 'cancelled': return `${ansi.yellow}■ cancelled${ansi.reset}`;
    case 'timeout': return `${ansi.yellow}⏱ timeout${ansi.reset}`;
    case 'limit': return `${ansi.red}✖ limit hit: ${r.limit ?? 'unknown'}${ansi.reset}`;
    default: return `${ansi.red}✖ ${r.status}${ansi.reset}`;
  }
}

function exitText(r: RunResult): string {
  if (r.signal) return `signal ${r.signal}`;
  return r.exitCode === null || r.exitCode === undefined ? '' : `exit code ${r.exitCode}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

export function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function describeLimits(limits: ExecuteLimits): string {
  const parts: string[] = [];
  if (limits.timeoutMs) parts.push(`timeout ${formatDuration(limits.timeoutMs)}`);
  if (limits.memoryMB) parts.push(`memory ${limits.memoryMB} MB`);
  if (limits.maxProcesses) parts.push(`${limits.maxProcesses} processes`);
  if (limits.cpuSeconds) parts.push(`cpu ${limits.cpuSeconds} s`);
  if (limits.diskMB) parts.push(`disk ${limits.diskMB} MB`);
  if (limits.outputBytes) parts.push(`output ${formatBytes(limits.outputBytes)}`);
  return parts.length > 0 ? `limits: ${parts.join(', ')}` : 'limits: server defaults';
}
