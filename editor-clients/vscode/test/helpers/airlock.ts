// Shared pieces of the tests that drive the real airlock binary: where it is, a throwaway workspace, and a run
// observer that records what arrived and when.

import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { RunObserver, RunOutcome, RunTracker } from '../../src/core/runTracker';
import { ServerLaunch, ServerProcess } from '../../src/core/serverProcess';
import { StartedParams, Stream } from '../../src/core/protocol';

// AIRLOCK_BIN, else the repository's build/airlock (this file runs from out/test/helpers/).
export function airlockBinary(): string {
  const binary = process.env.AIRLOCK_BIN ?? resolve(__dirname, '..', '..', '..', '..', '..', 'build', 'airlock');
  if (!existsSync(binary)) {
    throw new Error(`no airlock binary at ${binary}: build it (cmake --build build --target airlock) or set AIRLOCK_BIN`);
  }
  return binary;
}

export function launch(overrides: Partial<ServerLaunch> = {}): ServerLaunch {
  return {
    command: airlockBinary(), args: [], clientName: 'airlock-vscode-tests', clientVersion: '0',
    onLog: (line) => { if (process.env.AIRLOCK_TEST_VERBOSE) console.error(`[airlock] ${line}`); },
    ...overrides,
  };
}

// A workspace readable and writable by whichever uid the sandbox maps the user to (not only by its owner).
export function makeWorkspace(files: Record<string, string>): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'airlock-vscode-'));
  chmodSync(folder, 0o777);
  for (const [path, content] of Object.entries(files)) {
    const full = join(folder, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o777 });
    chmodSync(dirname(full), 0o777);
    writeFileSync(full, content, { mode: 0o666 });
    chmodSync(full, 0o666);
  }
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export interface Recorded {
  started?: StartedParams;
  chunks: { stream: Stream; text: string; at: number }[];
  outcome?: RunOutcome;
  finishedAt?: number;
}

export function recorder(): { record: Recorded; observer: RunObserver; text: (stream?: Stream) => string;
  waitForText: (needle: string, timeoutMs?: number) => Promise<void> } {
  const record: Recorded = { chunks: [] };
  const waiters: (() => void)[] = [];
  const text = (stream?: Stream) => record.chunks.filter((c) => !stream || c.stream === stream).map((c) => c.text).join('');
  const observer: RunObserver = {
    started: (info) => { record.started = info; },
    output: (stream, chunk) => {
      record.chunks.push({ stream, text: chunk, at: Date.now() });
      for (const wake of waiters.splice(0)) wake();
    },
    finished: (outcome) => {
      record.outcome = outcome;
      record.finishedAt = Date.now();
      for (const wake of waiters.splice(0)) wake();
    },
  };
  const waitForText = async (needle: string, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!text().includes(needle)) {
      if (record.outcome) throw new Error(`run ended before "${needle}" appeared; output: ${text()}`);
      if (Date.now() > deadline) throw new Error(`"${needle}" did not appear within ${timeoutMs} ms; output: ${text()}`);
      await new Promise<void>((wake) => { waiters.push(wake); setTimeout(wake, 200); });
    }
  };
  return { record, observer, text, waitForText };
}

// Whether this server publishes diagnostics at all: a Python snippet with a source that raises must produce some.
// Tests of what the diagnostics say run only against a server that has them, and say so when skipped.
export async function publishesDiagnostics(server: ServerProcess, folder: string): Promise<boolean> {
  let published = false;
  const subscription = server.onDiagnostics((p) => { if (p.diagnostics.length > 0) published = true; });
  try {
    const run = new RunTracker().start(server, { workspaceFolder: folder, language: 'python', code: '1 / 0\n',
      source: { uri: 'untitled:probe', line: 0 } }, 'probe', recorder().observer);
    await run.whenFinished();
    return published;
  } finally {
    subscription.dispose();
  }
}

// An airlock launcher for a machine that cannot sandbox at all: its server runs in a user namespace of its own where
// user.max_user_namespaces is 0 (the sysctl is per user namespace), which is what a host with user namespaces
// disabled looks like without touching the host, and it finds no VM image either.
export function launcherThatCannotSandbox(folder: string, binary = airlockBinary()): string {
  const launcher = join(folder, 'airlock-that-cannot-sandbox');
  const quoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  writeFileSync(launcher, [
    '#!/bin/sh',
    `AIRLOCK_VM_IMAGE_DIR=${quoted(join(folder, 'no-vm-image'))} exec unshare --user --map-root-user ` +
      `sh -c 'echo 0 > /proc/sys/user/max_user_namespaces && exec "$0" "$@"' ${quoted(binary)} "$@"`,
    '',
  ].join('\n'), { mode: 0o755 });
  return launcher;
}
