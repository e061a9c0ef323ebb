import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunResult } from '../src/core/protocol';
import { formatBytes, formatDuration, formatElapsed, formatFooter, formatHeader, formatSandboxLine } from '../src/core/runReport';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

function result(fields: Partial<RunResult>): RunResult {
  return {
    runId: 'r1', status: 'ok', exitCode: 0, signal: null, durationMs: 1234, stdoutBytes: 12, stderrBytes: 0,
    truncated: false, ...fields,
  };
}

test('the header says what runs where, and how to give input', () => {
  const header = plain(formatHeader('src/app.py', {
    workspaceFolder: '/p', file: 'src/app.py', cwd: 'src', language: 'python', interactive: true,
  }));
  assert.match(header, /▶ src\/app.py \(python\)/);
  assert.match(header, /in \/p › src/);
  assert.match(header, /Ctrl-D ends input, Ctrl-C cancels/);
  assert.doesNotMatch(plain(formatHeader('a', { workspaceFolder: '/p', file: 'a', interactive: false })), /Ctrl-D/);
});

test('the sandbox line shows what the server set up and the limits in force', () => {
  const line = plain(formatSandboxLine({ runId: 'r', isolation: 'process', workspace: 'overlay' },
    { workspaceFolder: '/p', policy: { network: 'none' }, limits: { timeoutMs: 5000 } }, { timeoutMs: 60_000, memoryMB: 1024 }));
  assert.equal(line, '  sandbox: process isolation · network none · workspace overlay · limits: timeout 5.00 s, memory 1024 MB\n');
  assert.match(plain(formatSandboxLine({ runId: 'r', isolation: 'vm', workspace: 'readonly' }, { workspaceFolder: '/p' })),
    /limits: server defaults/);
});

test('footers name status, exit code or signal, duration and sizes', () => {
  assert.equal(plain(formatFooter({ kind: 'result', result: result({}) }, 0)),
    '■ ok · exit code 0 · 1.23 s · 12 B stdout, 0 B stderr\n');
  assert.match(plain(formatFooter({ kind: 'result', result: result({ status: 'failed', exitCode: 3 }) }, 0)),
    /^✖ failed · exit code 3 ·/);
  assert.match(plain(formatFooter({ kind: 'result', result: result({ status: 'failed', exitCode: null, signal: 'SIGSEGV' }) }, 0)),
    /✖ failed · signal SIGSEGV/);
  assert.match(plain(formatFooter({ kind: 'result', result: result({ status: 'cancelled', exitCode: null }) }, 0)),
    /^■ cancelled · 1.23 s/);
  assert.match(plain(formatFooter({ kind: 'result', result: result({ status: 'timeout', exitCode: null, message: 'ran for 10 s' }) }, 0)),
    /^⏱ timeout.*\n  ran for 10 s\n$/);
  assert.match(plain(formatFooter({ kind: 'result', result: result({
    message: 'the run reached its limit of 32 processes (RLIMIT_NPROC)' }) }, 0)),
  /^■ ok · exit code 0 .*\n  the run reached its limit of 32 processes \(RLIMIT_NPROC\)\n$/);
});

test('limits hit, truncation and changes each get a line', () => {
  const text = plain(formatFooter({ kind: 'result', result: result({
    status: 'limit', limit: 'memory', exitCode: null, message: 'memory limit of 256 MB reached', truncated: true,
    changes: [{ path: 'a.txt', kind: 'added' }, { path: 'b.txt', kind: 'modified' }],
  }) }, 0));
  assert.match(text, /^✖ limit hit: memory/);
  assert.match(text, /output truncated/);
  assert.match(text, /memory limit of 256 MB reached/);
  assert.match(text, /2 files changed in the sandbox/);
});

test('errors and a cancelled request without a result', () => {
  assert.equal(plain(formatFooter({ kind: 'error', message: 'user namespaces are disabled', code: -32010 }, 0)),
    '✖ sandbox unavailable: user namespaces are disabled\n');
  assert.equal(plain(formatFooter({ kind: 'error', message: 'cancelled', code: -32800 }, 2500)), '■ cancelled · 2.50 s\n');
  assert.equal(plain(formatFooter({ kind: 'error', message: 'boom' }, 0)), '✖ error: boom\n');
});

test('durations, elapsed times and sizes read naturally', () => {
  assert.equal(formatDuration(42), '42 ms');
  assert.equal(formatDuration(12_345), '12.3 s');
  assert.equal(formatDuration(125_000), '2 min 05 s');
  assert.equal(formatElapsed(65_400), '1:05');
  assert.equal(formatBytes(2048), '2.0 KiB');
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MiB');
});
