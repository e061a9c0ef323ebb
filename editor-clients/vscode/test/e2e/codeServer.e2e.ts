// End to end in a real VS Code: code-server (VS Code's own workbench and extension host) driven through Debian's
// Chromium by playwright-core. Installs the packaged .vsix, opens a workspace, runs files and a Markdown block
// through the command palette, checks the terminal output and the Problems panel, cancels a long run (from the
// palette, the status bar and Ctrl-C), and reviews an overlay run's changes. Screenshots and logs go to
// E2E_ARTIFACTS on failure.
//
// Needs: CODE_SERVER_BIN (a folder with `code-server` and the Node it needs), AIRLOCK_VSIX, AIRLOCK_BIN;
// optional CHROMIUM (default /usr/bin/chromium), E2E_ARTIFACTS.

import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Browser, Page, chromium } from 'playwright-core';
import { ServerProcess } from '../../src/core/serverProcess';
import { launch, launcherThatCannotSandbox, makeWorkspace, publishesDiagnostics } from '../helpers/airlock';

const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see the header of this file)`);
  return value;
};
const codeServerBin = required('CODE_SERVER_BIN');
const vsix = required('AIRLOCK_VSIX');
const airlockBin = required('AIRLOCK_BIN');
const artifacts = process.env.E2E_ARTIFACTS ?? join(tmpdir(), 'airlock-e2e-artifacts');

const workspaceFiles = {
  'hello.py': [
    'import sys, time',
    'print("hello from the sandbox")',
    'time.sleep(0.5); print("a warning on stderr", file=sys.stderr)',
    'def divide(a, b):',
    '    return a / b',
    'divide(1, 0)',
    '',
  ].join('\n'),
  'slow.py': 'import time\nprint("tick", flush=True)\ntime.sleep(120)\n',
  'ask.py': 'name = input("name? ")\nprint("hello", name)\n',
  'notes.md': '# Notes\n\nA suggestion:\n\n```python\nprint("from the markdown block")\n```\n',
  'write.py': 'open("made-by-sandbox.txt", "w").write("written in the overlay\\n")\nprint("wrote it")\n',
};

let run: string;
let workspace: ReturnType<typeof makeWorkspace>;
let codeServer: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;
let folderPage: Page | undefined;  // the first window, kept when the multi-root test opens another
let overlaySupported = false;
let diagnosticsSupported = false;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function codeServerArgs(): string[] {
  return ['--config', join(run, 'config.yaml'), '--user-data-dir', join(run, 'ud'), '--extensions-dir', join(run, 'ext')];
}

const env = { ...process.env, PATH: `${codeServerBin}:${process.env.PATH}` };

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const normalise = (text: string) => text.replace(/\u00a0/g, ' ');

async function panelText(): Promise<string> {
  return normalise(await page.locator('[id="workbench.parts.panel"]').innerText());
}

// Headless Chromium's terminal can stop following new output once it overflows (its viewport believes the user
// scrolled up), so a terminal that does not show the text yet is scrolled to the bottom before the next look.
async function waitForPanel(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  let looks = 0;
  await waitFor(`${pattern} in the panel`, async () => {
    if (pattern.test(await panelText())) return true;
    if (++looks % 8 === 0 && await page.locator('[id="workbench.parts.panel"] .xterm').isVisible()) {
      await runCommand('Terminal: Scroll to Bottom');
    }
    return false;
  }, timeoutMs).catch(async (error) => { throw new Error(`${error.message}; the panel shows:\n${await panelText()}`); });
}

// F1, type, pick the row showing `label`. A leading '>' runs a command; without it, quick open finds a file.
async function quickPick(query: string, label: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(query);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

const runCommand = (title: string) => quickPick(`>${title}`, title);

async function openFile(name: string): Promise<void> {
  await quickPick(name, name);
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

// Go to Line opens its input asynchronously: keys typed before it shows would edit the document and leave the
// cursor elsewhere. So wait for the input, then for the status bar to show the cursor on that line.
async function goToLine(line: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: `line ${line}` }).first()
    .waitFor({ state: 'visible', timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col \\d+`) }).first()
    .waitFor({ timeout: 15_000 });
}

// A screenshot and the visible text for each failed step, then the failure itself.
async function step(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    const shot = join(artifacts, `${name}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    writeFileSync(join(artifacts, `${name}.txt`), await page.locator('body').innerText().catch(() => ''));
    console.error(`screenshot of the failed step: ${shot}; code-server log: ${join(run, 'code-server.log')}`);
    throw error;
  }
}

before(async () => {
  run = mkdtempSync(join(tmpdir(), 'airlock-e2e-'));
  workspace = makeWorkspace(workspaceFiles);
  const probe = await ServerProcess.start(launch({ command: airlockBin }));
  overlaySupported = probe.capabilities.workspaceModes.includes('overlay');
  diagnosticsSupported = await publishesDiagnostics(probe, workspace.folder);
  await probe.stop();

  const port = await freePort();
  writeFileSync(join(run, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  // airlock.serverPath is machine-scoped (a workspace must not choose which binary runs); code-server reads such
  // settings from its Machine settings, the "Remote" tab of the settings editor.
  mkdirSync(join(run, 'ud', 'Machine'), { recursive: true });
  writeFileSync(join(run, 'ud', 'Machine', 'settings.json'), JSON.stringify({ 'airlock.serverPath': airlockBin }));
  mkdirSync(join(run, 'ud', 'User'), { recursive: true });
  writeFileSync(join(run, 'ud', 'User', 'settings.json'), JSON.stringify({
    // The DOM renderer keeps terminal text in the page, where the test can read it.
    'terminal.integrated.gpuAcceleration': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true,
  }, null, 2));
  execFileSync('code-server', [...codeServerArgs(), '--install-extension', vsix], { env, stdio: 'inherit' });

  const log = openSync(join(run, 'code-server.log'), 'w');
  // detached: its own process group, so the whole tree (extension host, airlock serve) can be ended together.
  codeServer = spawn('code-server', [...codeServerArgs(), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace.folder],
  { env, detached: true, stdio: ['ignore', log, log] });
  await waitFor('code-server /healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace.folder)}`);
  await step('workbench', async () => {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'hello.py' }).waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Airlock' }).first().waitFor({ timeout: 60_000 });
  });
});

after(async () => {
  await browser?.close();
  if (codeServer?.pid) {
    // TERM first so the extension host deactivates and stops airlock serve cleanly; then make sure.
    try { process.kill(-codeServer.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 2000));
    try { process.kill(-codeServer.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  workspace?.remove();
  if (run && !process.env.E2E_KEEP) rmSync(run, { recursive: true, force: true });
});

test('run a file from the command palette: live output, header and footer', async () => {
  await step('run-file', async () => {
    await openFile('hello.py');
    await runCommand('Airlock: Run File in Sandbox');
    await waitForPanel(/▶ hello\.py \(python\)/);
    // stdout and stderr are separate pipes, so only time orders them: with Python's stdout buffered (as it is on a
    // pipe unless the extension's default turns that off) this line would come only at exit, after stderr.
    await waitForPanel(/hello from the sandbox\s+a warning on stderr/);
    await waitForPanel(/✖ failed · exit code 1/);
    await waitForPanel(/sandbox: process isolation · network none/);
  });
});

test('the run\'s error is in the Problems panel at its line', async (t) => {
  if (!diagnosticsSupported) {
    t.skip('the airlock server under test publishes no diagnostics');
    return;
  }
  await step('problems', async () => {
    await runCommand('Problems: Focus on Problems View');
    await waitForPanel(/ZeroDivisionError: division by zero/);
    await waitForPanel(/hello\.py/);
    const marker = page.locator('.markers-panel .monaco-list-row', { hasText: 'ZeroDivisionError' }).first();
    assert.match(normalise(await marker.innerText()), /\[Ln 5, Col \d+\]/, 'the error is at line 5, in divide()');
  });
});

test('run the fenced block under the cursor in Markdown', async () => {
  await step('run-markdown-block', async () => {
    await openFile('notes.md');
    await goToLine(6);
    await runCommand('Airlock: Run Selection in Sandbox');
    await waitForPanel(/python snippet from notes\.md:6/);
    await waitForPanel(/from the markdown block[\s\S]*■ ok · exit code 0/);
  });
});

test('cancel a long run from the command palette', async () => {
  await step('cancel', async () => {
    await openFile('slow.py');
    await runCommand('Airlock: Run File in Sandbox');
    await waitForPanel(/tick/);
    await page.locator('.statusbar-item', { hasText: 'slow.py' }).first().waitFor({ timeout: 10_000 });
    await runCommand('Airlock: Cancel Run');
    await waitForPanel(/■ cancelled/, 15_000);
  });
});

test('the status bar counts a run\'s time; clicking it offers to cancel the run', async () => {
  await step('status-bar', async () => {
    await openFile('slow.py');
    await runCommand('Airlock: Run File in Sandbox');
    const item = page.locator('.statusbar-item', { hasText: /slow\.py \d+:\d\d/ }).first();
    await item.waitFor({ timeout: 15_000 });
    const seconds = async () => {
      const [, minutes, secs] = /(\d+):(\d\d)/.exec(normalise(await item.innerText())) ?? [];
      return Number(minutes) * 60 + Number(secs);
    };
    const shown = await seconds();
    await waitFor('the elapsed time to advance', async () => (await seconds()) > shown, 10_000);
    await item.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cancel slow.py' }).first().click();
    await item.waitFor({ state: 'detached', timeout: 15_000 });
    // The terminal holds earlier runs of slow.py too: look only below the latest header.
    await waitFor('the footer of the cancelled run', async () => {
      const text = await panelText();
      return /■ cancelled/.test(text.slice(text.lastIndexOf('▶ slow.py')));
    }, 15_000);
  });
});

test('typing in the run\'s terminal goes to its stdin', async () => {
  await step('interactive', async () => {
    await openFile('ask.py');
    await runCommand('Airlock: Run File in Sandbox');
    await waitForPanel(/▶ ask\.py[\s\S]*name\?/);
    await page.locator('[id="workbench.parts.panel"] .xterm').click();
    await page.keyboard.type('Ann');
    await page.keyboard.press('Enter');
    await waitForPanel(/hello Ann\s+■ ok · exit code 0/);
  });
});

test('Ctrl-C in the run\'s terminal cancels it', async () => {
  await step('ctrl-c', async () => {
    await openFile('slow.py');
    await runCommand('Airlock: Run File in Sandbox');
    await waitForPanel(/tick/);
    await page.locator('[id="workbench.parts.panel"] .xterm').click();
    await page.keyboard.press('Control+C');
    await waitForPanel(/\^C\s+cancelling…\s+■ cancelled/, 15_000);
  });
});

test('review an overlay run: notification, diff, apply', async (t) => {
  if (!overlaySupported) {
    t.skip('the airlock server under test offers no overlay workspace mode');
    return;
  }
  await step('overlay', async () => {
    await openFile('write.py');
    await runCommand('Airlock: Run File in Sandbox');
    const toast = page.locator('.notification-toast', { hasText: 'changed 1 file(s) in the sandbox' }).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /made-by-sandbox\.txt \(added\)/);
    await toast.locator('.monaco-button', { hasText: 'Show Diff' }).click();
    await page.locator('.tabs-container .tab', { hasText: 'workspace ↔ sandbox' }).waitFor({ timeout: 15_000 });
    await waitFor('the sandbox version in the diff', async () =>
      normalise(await page.locator('.monaco-diff-editor').innerText()).includes('written in the overlay'), 15_000);
    assert.ok(!existsSync(join(workspace.folder, 'made-by-sandbox.txt')), 'nothing is written before Apply');
    const again = page.locator('.notification-toast', { hasText: 'changed 1 file(s) in the sandbox' }).first();
    await again.locator('.monaco-button', { hasText: 'Apply' }).click();
    await waitFor('the applied file', async () => existsSync(join(workspace.folder, 'made-by-sandbox.txt')), 15_000);
    assert.equal(readFileSync(join(workspace.folder, 'made-by-sandbox.txt'), 'utf8'), 'written in the overlay\n');
  });
});

// Last: it reopens the window on a two-folder workspace.
test('multi-root: a file runs with its own workspace folder mapped in, and starts there', async () => {
  await step('multi-root', async () => {
    const roots = makeWorkspace({
      'alpha/where.py': 'import os\nprint("cwd", os.getcwd())\n',
      'beta/where.py': 'import os\nprint("cwd", os.getcwd())\nprint("sees", sorted(os.listdir(".")))\n' +
        'print("alpha visible:", os.path.exists("../alpha"))\n',
      'beta/beta-only.txt': 'x\n',
    });
    try {
      const file = join(roots.folder, 'roots.code-workspace');
      writeFileSync(file, JSON.stringify({ folders: ['alpha', 'beta'].map((name) => ({ path: join(roots.folder, name) })) }));
      // A window of its own, as VS Code opens a workspace; the folder window is left as it was.
      const origin = new URL(page.url()).origin;
      folderPage = page;
      page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${origin}/?workspace=${encodeURIComponent(file)}`);
      // code-server now and then opens a workspace file with none of its folders ("No Folder Opened"), a state
      // of its own that a reload ends; the extension is not involved (it is not even asked to run anything yet).
      const betaRow = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'beta' }).first();
      for (let attempt = 1; ; attempt++) {
        try {
          await betaRow.waitFor({ timeout: 20_000 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
          console.error(`code-server opened ${file} without its folders; reloading (attempt ${attempt})`);
          await page.reload();
        }
      }
      await page.locator('.statusbar-item', { hasText: 'Airlock' }).first().waitFor({ timeout: 60_000 });
      await quickPick('beta/where.py', 'where.py');
      await page.locator('.tabs-container .tab.active', { hasText: 'where.py' }).waitFor({ timeout: 15_000 });
      await runCommand('Airlock: Run File in Sandbox');
      const beta = join(roots.folder, 'beta');
      await waitForPanel(new RegExp(`cwd ${beta}\\s+sees \\['beta-only.txt', 'where.py'\\]\\s+alpha visible: False`));
    } finally {
      roots.remove();
    }
  });
});

// Last: it points the extension at a server that cannot sandbox.
test('where the sandbox is unavailable nothing runs, and the user is told why and how to fix it', async () => {
  page = folderPage ?? page;
  await page.bringToFront();
  await step('unavailable', async () => {
    const launcher = launcherThatCannotSandbox(run, airlockBin);
    writeFileSync(join(run, 'ud', 'Machine', 'settings.json'), JSON.stringify({ 'airlock.serverPath': launcher }));
    const toast = page.locator('.notification-toast', { hasText: 'Airlock cannot create a sandbox on this machine' });
    await toast.first().waitFor({ timeout: 30_000 });
    assert.match(await toast.first().innerText(), /max_user_namespaces/);
    await toast.first().locator('.monaco-button', { hasText: 'Show Explanation' }).click();
    // The Airlock output channel now holds `airlock doctor`'s report; its end is in view.
    await waitForPanel(/\[MISS\][\s\S]*user\.max_user_namespaces/);

    await openFile('hello.py');
    await runCommand('Airlock: Run File in Sandbox');
    await page.locator('.notification-toast', { hasText: 'so nothing was run' }).first().waitFor({ timeout: 30_000 });
    // The run terminal still ends with the footer of the last real run: no new run started below it.
    await runCommand('Airlock: Show Output');
    // Show Output focuses the run terminal; a command palette opened before that focus lands would be closed by it.
    await page.locator('[id="workbench.parts.panel"] .xterm.focus').waitFor({ timeout: 10_000 });
    await waitForPanel(/■ /);
    const text = await panelText();
    assert.doesNotMatch(text.slice(text.lastIndexOf('■ ')), /▶/);
  });
});
