import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../src/core/backoff';
import { changedFileText, describeApply } from '../src/core/changeReview';
import { DiagnosticsStore } from '../src/core/diagnosticsStore';
import { unavailableReasons } from '../src/core/doctor';
import { airlockLanguage, languageOfFileName } from '../src/core/languages';
import { Diagnostic } from '../src/core/protocol';
import { resolveServerPath } from '../src/core/serverPath';

test('backoff doubles up to a cap, gives up after too many crashes, and resets after a stable run', () => {
  const backoff = new Backoff({ firstDelayMs: 100, maxDelayMs: 350, maxAttempts: 4, stableAfterMs: 1000 });
  assert.deepEqual([0, 0, 0, 0, 0].map(() => backoff.nextDelay(10)), [100, 200, 350, 350, undefined]);
  assert.equal(backoff.nextDelay(5000), 100, 'a server that ran long enough starts the sequence over');
});

const error = (line: number, message: string): Diagnostic =>
  ({ range: { start: { line, character: 0 }, end: { line, character: 5 } }, severity: 1, source: 'airlock', message });

test('diagnostics: a publication replaces, an empty one clears, whatever the URI spelling', () => {
  const shown: [string, number][] = [];
  const store = new DiagnosticsStore((uri, list) => shown.push([uri, list.length]));
  store.publish({ uri: 'file:///C:/p/a.py', diagnostics: [error(3, 'ZeroDivisionError: division by zero')] });
  assert.equal(store.get('file:///c%3A/p/a.py')[0].message, 'ZeroDivisionError: division by zero');
  store.publish({ uri: 'file:///c%3A/p/a.py', diagnostics: [] });
  assert.deepEqual(store.get('file:///C:/p/a.py'), []);
  assert.deepEqual(shown, [['file:///C:/p/a.py', 1], ['file:///C:/p/a.py', 0]],
    'the clear goes to the spelling the editor was given');
});

test('diagnostics: a clean run clears its document unless the server already republished it', () => {
  const shown: [string, number][] = [];
  const store = new DiagnosticsStore((uri, list) => shown.push([uri, list.length]));
  store.publish({ uri: 'file:///p/notes.md', diagnostics: [error(11, 'NameError')] });
  store.runStarted('r1', 'file:///p/notes.md');
  store.runFinished('r1', false);
  assert.equal(store.get('file:///p/notes.md').length, 1, 'a failing run leaves them');
  store.runStarted('r2', 'file:///p/notes.md');
  store.runFinished('r2', true);
  assert.deepEqual(store.get('file:///p/notes.md'), []);
  assert.deepEqual(shown.at(-1), ['file:///p/notes.md', 0]);

  store.publish({ uri: 'file:///p/notes.md', diagnostics: [error(1, 'old')] });
  store.runStarted('r3', 'file:///p/notes.md');
  store.publish({ uri: 'file:///p/notes.md', diagnostics: [error(2, 'SyntaxWarning')] });
  store.runFinished('r3', true);
  assert.equal(store.get('file:///p/notes.md')[0].message, 'SyntaxWarning', 'what the server sent during the run stays');
});

test('language names from editor ids, fences and file names', () => {
  assert.equal(airlockLanguage('shellscript'), 'bash');
  assert.equal(airlockLanguage('py'), 'python');
  assert.equal(airlockLanguage('C++'), 'cpp');
  assert.equal(airlockLanguage('markdown'), undefined);
  assert.equal(airlockLanguage(''), undefined);
  assert.equal(airlockLanguage('Zig'), 'zig', 'unknown names pass through for user-defined languages');
  assert.equal(languageOfFileName('/p/a.test.mjs'), 'javascript');
  assert.equal(languageOfFileName('/p/Makefile'), undefined);
});

test('server path: the setting wins, then PATH, then the fallbacks in order', () => {
  const exists = (paths: string[]) => (p: string) => paths.includes(p);
  const base = { configured: '', pathVariable: '/usr/bin:/opt/airlock/bin', platform: 'linux' as const,
    fallbacks: ['/ext/bin/airlock', '/repo/build/airlock'] };
  assert.equal(resolveServerPath({ ...base, configured: ' /x/airlock ', isExecutable: exists([]) }), '/x/airlock');
  assert.equal(resolveServerPath({ ...base, isExecutable: exists(['/opt/airlock/bin/airlock', '/ext/bin/airlock']) }),
    '/opt/airlock/bin/airlock');
  assert.equal(resolveServerPath({ ...base, isExecutable: exists(['/repo/build/airlock']) }), '/repo/build/airlock');
  assert.equal(resolveServerPath({ ...base, isExecutable: exists([]) }), undefined);
  assert.equal(resolveServerPath({ ...base, platform: 'win32', pathVariable: 'C:\\Tools;D:\\bin',
    isExecutable: (p) => p === 'D:\\bin\\airlock.exe' }), 'D:\\bin\\airlock.exe');
});

test('doctor --json: the reasons of the unavailable isolation levels, nothing from an unreadable report', () => {
  // As `airlock doctor --json` printed it on a host with user namespaces disabled (protections shortened).
  const report = JSON.stringify({
    isolation: [
      { available: false, name: 'process', reason: 'creating the sandbox\'s namespaces: clone3 failed: No space left on ' +
        'device. Fix: user namespaces are disabled (user.max_user_namespaces=0); run `sysctl -w user.max_user_namespaces=15000`' },
      { available: true, name: 'vm' },
    ],
    protections: [],
  });
  assert.deepEqual(unavailableReasons(report), ['isolation "process": creating the sandbox\'s namespaces: clone3 failed: ' +
    'No space left on device. Fix: user namespaces are disabled (user.max_user_namespaces=0); run ' +
    '`sysctl -w user.max_user_namespaces=15000`']);
  assert.deepEqual(unavailableReasons('not json'), []);
  assert.deepEqual(unavailableReasons('{"isolation": "odd"}'), []);
});

test('the sandbox side of a diff: text as is, and a line for what has no text', () => {
  const entry = { path: 'a.txt', kind: 'modified' as const, type: 'file' as const, encoding: 'utf-8' as const };
  assert.equal(changedFileText({ ...entry, content: 'new text\n' }), 'new text\n');
  assert.equal(changedFileText({ ...entry, encoding: 'base64', content: Buffer.from([0xff, 0, 1]).toString('base64') }),
    '(binary file, 3 B: not shown)\n');
  assert.equal(changedFileText({ ...entry, kind: 'deleted', type: null, content: null }), '');
  assert.equal(changedFileText({ ...entry, kind: 'added', type: 'directory', content: null }),
    '(a folder created by the run: a.txt)\n');
  assert.equal(changedFileText({ ...entry, type: 'symlink', content: null, target: '/etc/passwd' }),
    '(a symbolic link to /etc/passwd, not followed)\n');
});

test('the apply message names what was applied and why anything was left untouched', () => {
  assert.deepEqual(describeApply({ applied: ['a.txt', 'b/c.py'], conflicts: [] }),
    { severity: 'info', message: 'Airlock applied 2 file(s): a.txt, b/c.py.' });
  assert.deepEqual(describeApply({ applied: [], conflicts: ['a.txt'], failed: [{ path: 'd', message: 'rename failed: EACCES' }] }), {
    severity: 'warning',
    message: 'Airlock applied 0 file(s). Not applied because the workspace file changed since the run started: a.txt. ' +
      'Not applied: d (rename failed: EACCES).',
  });
});
