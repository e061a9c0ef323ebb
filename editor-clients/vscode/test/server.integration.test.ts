// The client logic against the real airlock binary over stdio: handshake, run, stream, cancel (both ways),
// interactive input, working directory, diagnostics mapping, overlay review, restart after a crash, clean stop.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { changedFileText } from '../src/core/changeReview';
import { DiagnosticsStore } from '../src/core/diagnosticsStore';
import { pathToFileUri } from '../src/core/paths';
import { ErrorCodes, ExecuteParams, RunResult } from '../src/core/protocol';
import { buildRunRequest } from '../src/core/runRequest';
import { RunTracker } from '../src/core/runTracker';
import { ServerProcess, ServerStartError } from '../src/core/serverProcess';
import { ServerSupervisor, SupervisorState } from '../src/core/serverSupervisor';
import { SettingsError, defaultSettings } from '../src/core/settings';
import { explainUnavailable, runDoctor } from '../src/core/doctor';
import { launch, launcherThatCannotSandbox, makeWorkspace, publishesDiagnostics, recorder } from './helpers/airlock';

function resultOf(outcome: unknown): RunResult {
  const o = outcome as { kind: string; result?: RunResult; message?: string };
  assert.equal(o.kind, 'result', `expected a RunResult, got ${JSON.stringify(outcome)}`);
  return o.result!;
}

describe('airlock serve over stdio', () => {
  let server: ServerProcess;
  let tracker: RunTracker;
  const workspace = makeWorkspace({
    'src/app.py': 'import os\nprint("cwd", os.getcwd())\nprint(open("data.txt").read().strip())\n',
    'src/data.txt': 'data next to the script\n',
  });
  const run = (params: Omit<ExecuteParams, 'workspaceFolder'>, label = 'test') => {
    const rec = recorder();
    const tracked = tracker.start(server, { workspaceFolder: workspace.folder, ...params }, label, rec.observer);
    return { ...rec, tracked };
  };

  before(async () => {
    server = await ServerProcess.start(launch());
    tracker = new RunTracker();
  });
  after(async () => {
    const exit = await server.stop();
    assert.equal(exit.code, 0, 'shutdown + exit ends the server with code 0');
    workspace.remove();
  });

  test('initialize reports languages, isolation levels and workspace modes', () => {
    assert.ok(server.capabilities.languages.includes('python'), JSON.stringify(server.capabilities));
    assert.ok(server.capabilities.isolation.includes('process'), JSON.stringify(server.capabilities));
    assert.ok(server.capabilities.workspaceModes.includes('readonly'));
    assert.equal(server.serverInfo?.name, 'airlock');
  });

  test('a snippet runs: started, stdout and stderr apart, exit code in the result', async () => {
    const r = run({ code: 'import sys\nprint("to stdout")\nprint("to stderr", file=sys.stderr)\nsys.exit(3)\n',
      language: 'python' });
    const result = resultOf(await r.tracked.whenFinished());
    assert.equal(result.status, 'failed');
    assert.equal(result.exitCode, 3);
    assert.equal(r.text('stdout'), 'to stdout\n');
    assert.equal(r.text('stderr'), 'to stderr\n');
    assert.equal(r.record.started?.isolation, 'process');
    assert.equal(tracker.get(r.tracked.runId), undefined, 'a finished run leaves the tracker');
  });

  test('output streams while the program runs, not at the end', async () => {
    const r = run({ code: 'import time\nprint("first", flush=True)\ntime.sleep(1.5)\nprint("second")\n', language: 'python' });
    await r.tracked.whenFinished();
    const first = r.record.chunks.find((c) => c.text.includes('first'));
    assert.ok(first, r.text());
    assert.ok(r.record.finishedAt! - first.at >= 1000,
      `"first" arrived ${r.record.finishedAt! - first.at} ms before the end; it should arrive ~1.5 s before`);
  });

  test('a file run starts in the file\'s folder, so relative paths work', async () => {
    const { params } = buildRunRequest({ kind: 'file', workspaceFolder: workspace.folder,
      filePath: join(workspace.folder, 'src', 'app.py') }, { ...defaultSettings, workspaceMode: 'readonly' },
      server.capabilities);
    const rec = recorder();
    const tracked = tracker.start(server, params, 'src/app.py', rec.observer);
    const result = resultOf(await tracked.whenFinished());
    assert.equal(result.status, 'ok', rec.text());
    assert.equal(rec.text('stdout'), `cwd ${join(workspace.folder, 'src')}\ndata next to the script\n`);
  });

  test('cancel through sandbox/cancel ends a long run with status cancelled', async () => {
    const r = run({ code: 'import time\nprint("sleeping", flush=True)\ntime.sleep(60)\n', language: 'python' });
    await r.waitForText('sleeping');
    const asked = Date.now();
    await tracker.cancel(r.tracked, 'sandbox/cancel');
    const result = resultOf(await r.tracked.whenFinished());
    assert.equal(result.status, 'cancelled');
    assert.ok(Date.now() - asked < 5000, 'cancel takes effect at once');
  });

  test('cancel through $/cancelRequest ends the run too', async () => {
    const r = run({ code: 'sleep 60 & echo started; wait\n', language: 'bash' });
    await r.waitForText('started');
    await tracker.cancel(r.tracked, '$/cancelRequest');
    const outcome = await r.tracked.whenFinished();
    if (outcome.kind === 'result') assert.equal(outcome.result.status, 'cancelled');
    else assert.equal(outcome.code, ErrorCodes.requestCancelled);
  });

  test('interactive input reaches the program, and eof ends its input', async () => {
    const r = run({ code: 'import sys\nname = input("name? ")\nprint("hello", name, flush=True)\n' +
      'print("rest", repr(sys.stdin.read()))\n', language: 'python', interactive: true });
    await r.waitForText('name? ');
    await tracker.input(r.tracked, 'Ann\n');
    await r.waitForText('hello Ann');
    await tracker.input(r.tracked, 'more');
    await tracker.input(r.tracked, '', true);
    const result = resultOf(await r.tracked.whenFinished());
    assert.equal(result.status, 'ok', r.text());
    assert.match(r.text('stdout'), /rest 'more'/);
  });

  test('diagnostics land on the source document at the snippet\'s line, and a clean run clears them', async (t) => {
    if (!(await publishesDiagnostics(server, workspace.folder))) {
      t.skip('this server publishes no diagnostics');
      return;
    }
    const published: string[] = [];
    const store = new DiagnosticsStore((uri, list) => published.push(`${uri} ${list.length}`));
    const subscription = server.onDiagnostics((p) => store.publish(p));
    const source = pathToFileUri(join(workspace.folder, 'notes.md'));
    try {
      const failing = run({ code: 'x = 1\ny = x / 0\n', language: 'python', source: { uri: source, line: 10 } });
      store.runStarted(failing.tracked.runId, source);
      const outcome = await failing.tracked.whenFinished();
      store.runFinished(failing.tracked.runId, false);
      assert.equal(resultOf(outcome).status, 'failed');
      const [diagnostic] = store.get(source);
      assert.ok(diagnostic, `no diagnostic for ${source}; published: ${published.join(', ')}`);
      assert.equal(diagnostic.range.start.line, 11, 'snippet line 2 is document line 10 + 2 - 1');
      assert.match(diagnostic.message, /ZeroDivisionError/);
      assert.equal(diagnostic.severity, 1);
      assert.equal(diagnostic.source, 'airlock');

      const clean = run({ code: 'x = 1\nprint(x)\n', language: 'python', source: { uri: source, line: 10 } });
      store.runStarted(clean.tracked.runId, source);
      const cleanOutcome = await clean.tracked.whenFinished();
      store.runFinished(clean.tracked.runId, resultOf(cleanOutcome).status === 'ok');
      assert.deepEqual(store.get(source), []);
    } finally {
      subscription.dispose();
    }
  });

  test('overlay: changes are listed, readable, discarded or applied', async (t) => {
    if (!server.capabilities.workspaceModes.includes('overlay')) {
      t.skip(`this server offers no overlay mode (modes: ${server.capabilities.workspaceModes.join(', ')})`);
      return;
    }
    const write = { code: 'open("made.txt", "w").write("from the sandbox\\n")\n', language: 'python',
      policy: { workspace: 'overlay' as const } };
    const discarded = run(write);
    const first = resultOf(await discarded.tracked.whenFinished());
    assert.deepEqual(first.changes, [{ path: 'made.txt', kind: 'added' }], discarded.text());
    const entry = await server.readChangedFile(first.runId, 'made.txt');
    assert.equal(changedFileText(entry), 'from the sandbox\n');
    assert.ok(!existsSync(join(workspace.folder, 'made.txt')), 'nothing reaches the workspace before apply');
    await server.discardChanges(first.runId);
    assert.ok(!existsSync(join(workspace.folder, 'made.txt')));

    const applied = run(write);
    const second = resultOf(await applied.tracked.whenFinished());
    const outcome = await server.applyChanges(second.runId);
    assert.deepEqual([outcome.applied, outcome.conflicts, outcome.failed ?? []], [['made.txt'], [], []]);
    assert.equal(readFileSync(join(workspace.folder, 'made.txt'), 'utf8'), 'from the sandbox\n');
  });
});

describe('server lifecycle', () => {
  test('a missing binary is a start error that says which setting to fix', async () => {
    await assert.rejects(ServerProcess.start(launch({ command: '/nonexistent/airlock' })),
      (error: Error) => error instanceof ServerStartError && /ENOENT/.test(error.message) &&
        /airlock.serverPath/.test(error.message));
  });

  test('after a crash the supervisor restarts the server, and the lost run ends with an error', async () => {
    const supervisor = new ServerSupervisor(() => launch(),
      { firstDelayMs: 100, maxDelayMs: 1000, maxAttempts: 3, stableAfterMs: 60_000 });
    const states: SupervisorState['kind'][] = [];
    supervisor.onStateChange((s) => states.push(s.kind));
    const workspace = makeWorkspace({});
    try {
      const first = await supervisor.server();
      const tracker = new RunTracker();
      const rec = recorder();
      const lost = tracker.start(first, { workspaceFolder: workspace.folder, language: 'python',
        code: 'import time\nprint("up", flush=True)\ntime.sleep(60)\n' }, 'lost', rec.observer);
      await rec.waitForText('up');
      const restartedServer = new Promise<ServerProcess>((resolve) => supervisor.onReady(resolve));
      first.kill();
      const outcome = await lost.whenFinished();
      assert.equal(outcome.kind, 'error');
      assert.match((outcome as { message: string }).message, /server stopped/);

      const restarted = await restartedServer;
      assert.notEqual(restarted.pid, first.pid);
      assert.deepEqual(states, ['starting', 'ready', 'restarting', 'starting', 'ready']);
      assert.equal(await supervisor.server(), restarted);

      const after = recorder();
      const ok = tracker.start(restarted, { workspaceFolder: workspace.folder, language: 'python',
        code: 'print("again")\n' }, 'again', after.observer);
      assert.equal(resultOf(await ok.whenFinished()).status, 'ok');
      assert.equal(after.text('stdout'), 'again\n');
    } finally {
      await supervisor.dispose();
      workspace.remove();
    }
  });
});

describe('a machine that cannot sandbox', () => {
  test('nothing runs, and the reason comes with its fix', async () => {
    const workspace = makeWorkspace({ 'a.py': 'print("must not run")\n' });
    const launcher = launcherThatCannotSandbox(workspace.folder);
    const server = await ServerProcess.start(launch({ command: launcher }));
    try {
      assert.deepEqual(server.capabilities.isolation, []);
      assert.throws(() => buildRunRequest({ kind: 'file', workspaceFolder: workspace.folder,
        filePath: join(workspace.folder, 'a.py') }, defaultSettings, server.capabilities),
      (error: Error) => error instanceof SettingsError && /no sandbox is available/.test(error.message));

      // Even a request that skips the client's own check is refused by the server, with nothing run.
      const rec = recorder();
      const run = new RunTracker().start(server, { workspaceFolder: workspace.folder, file: 'a.py',
        policy: { isolation: 'process' } }, 'a.py', rec.observer);
      const outcome = await run.whenFinished();
      assert.equal(outcome.kind, 'error', JSON.stringify(outcome));
      assert.equal((outcome as { code?: number }).code, ErrorCodes.sandboxUnavailable);
      assert.equal(rec.text(), '');

      assert.match(await explainUnavailable(launcher) ?? '', /^isolation "process": .*user\.max_user_namespaces/);
      assert.match(await runDoctor(launcher), /UNAVAILABLE/);
    } finally {
      await server.stop();
      workspace.remove();
    }
  });
});
