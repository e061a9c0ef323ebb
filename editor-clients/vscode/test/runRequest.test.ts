import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SandboxCapabilities } from '../src/core/protocol';
import { buildRunRequest } from '../src/core/runRequest';
import { AirlockSettings, SettingsError, defaultSettings, runPolicy, settingsForLanguage } from '../src/core/settings';

const capabilities: SandboxCapabilities = {
  languages: ['python', 'javascript', 'bash', 'sh', 'c', 'cpp'],
  isolation: ['process'],
  workspaceModes: ['readonly', 'overlay', 'readwrite'],
  interactive: true,
};

function settings(overrides: Partial<AirlockSettings> = {}): AirlockSettings {
  return { ...defaultSettings, ...overrides };
}

test('a file run sends its workspace-relative path and starts in its own folder', () => {
  const request = buildRunRequest({ kind: 'file', workspaceFolder: '/home/ann/proj', filePath: '/home/ann/proj/src/app.py' },
    settings(), capabilities);
  assert.deepEqual(request.params, {
    workspaceFolder: '/home/ann/proj', file: 'src/app.py', cwd: 'src', language: 'python', interactive: true,
    env: { PYTHONUNBUFFERED: '1' }, policy: { isolation: 'process', network: 'none', workspace: 'overlay' },
  });
  assert.equal(request.label, 'src/app.py');
});

test('workingDirectory "workspaceFolder" starts at the folder root', () => {
  const request = buildRunRequest({ kind: 'file', workspaceFolder: '/p', filePath: '/p/src/app.py' },
    settings({ workingDirectory: 'workspaceFolder' }), capabilities);
  assert.equal(request.params.cwd, '.');
});

test('Windows folders: drive letters, backslashes and case differences', () => {
  const request = buildRunRequest({ kind: 'file', workspaceFolder: 'c:\\Users\\Ann\\Proj', filePath: 'C:\\users\\ann\\proj\\Src\\app.js' },
    settings(), capabilities);
  assert.equal(request.params.file, 'Src/app.js');
  assert.equal(request.params.cwd, 'Src');
  assert.equal(request.params.language, 'javascript');
});

test('a file outside its workspace folder is refused', () => {
  assert.throws(() => buildRunRequest({ kind: 'file', workspaceFolder: '/p', filePath: '/q/a.py' }, settings(), capabilities),
    SettingsError);
});

test('a snippet carries its code, language and source location', () => {
  const request = buildRunRequest({
    kind: 'code', workspaceFolder: '/p', code: 'print(1)\n', language: 'python',
    source: { uri: 'file:///p/docs/notes.md', line: 12 }, sourcePath: '/p/docs/notes.md',
  }, settings(), capabilities);
  assert.equal(request.params.code, 'print(1)\n');
  assert.deepEqual(request.params.source, { uri: 'file:///p/docs/notes.md', line: 12 });
  assert.equal(request.params.cwd, 'docs');
  assert.equal(request.label, 'python snippet from notes.md:13');
  assert.equal(request.params.file, undefined);
});

test('a snippet from an untitled document starts at the folder root', () => {
  const request = buildRunRequest({
    kind: 'code', workspaceFolder: '/p', code: 'echo', language: 'bash', source: { uri: 'untitled:Untitled-1', line: 0 },
  }, settings(), capabilities);
  assert.equal(request.params.cwd, '.');
  assert.equal(request.label, 'bash snippet from untitled:Untitled-1:1');
});

test('per-language overrides replace scalars and merge limits and env', () => {
  const s = settings({
    limits: { timeoutMs: 10_000, memoryMB: 256 }, env: { A: '1' }, network: 'none',
    languages: { python: { limits: { timeoutMs: 2000 }, env: { B: '2' }, network: 'host', args: ['-X', 'dev'] } },
  });
  assert.deepEqual(settingsForLanguage(s, 'python'), {
    isolation: 'process', network: 'host', workspaceMode: 'auto', interactive: true,
    limits: { timeoutMs: 2000, memoryMB: 256 }, env: { A: '1', B: '2' }, args: ['-X', 'dev'],
  });
  const request = buildRunRequest({ kind: 'file', workspaceFolder: '/p', filePath: '/p/a.py' }, s, capabilities);
  assert.deepEqual(request.params.limits, { timeoutMs: 2000, memoryMB: 256 });
  assert.deepEqual(request.params.env, { A: '1', B: '2' });
  assert.deepEqual(request.params.args, ['-X', 'dev']);
  const other = buildRunRequest({ kind: 'file', workspaceFolder: '/p', filePath: '/p/a.sh' }, s, capabilities);
  assert.deepEqual(other.params.limits, { timeoutMs: 10_000, memoryMB: 256 });
  assert.equal(other.params.policy?.network, 'none');
  assert.equal(other.params.language, 'sh');
});

test('never a weaker sandbox: unavailable isolation or none at all is an error', () => {
  const run = settingsForLanguage(settings({ isolation: 'vm' }), 'python');
  assert.throws(() => runPolicy(run, capabilities), /isolation "vm" is not available.*available: process/);
  assert.throws(() => runPolicy(settingsForLanguage(settings(), 'python'), { ...capabilities, isolation: [] }),
    /no sandbox is available/);
});

test('workspace mode auto picks overlay when offered, else readonly; an unsupported explicit mode is an error', () => {
  const run = settingsForLanguage(settings(), undefined);
  assert.equal(runPolicy(run, capabilities).policy.workspace, 'overlay');
  assert.equal(runPolicy(run, { ...capabilities, workspaceModes: ['readonly', 'readwrite'] }).policy.workspace, 'readonly');
  assert.throws(() => runPolicy(settingsForLanguage(settings({ workspaceMode: 'overlay' }), undefined),
    { ...capabilities, workspaceModes: ['readonly'] }), /workspace mode "overlay" is not supported/);
});

test('limits must be positive whole numbers; an unknown language and no interactive support are handled', () => {
  assert.throws(() => runPolicy(settingsForLanguage(settings({ limits: { timeoutMs: -1 } }), undefined), capabilities),
    /airlock.limits.timeoutMs must be a positive whole number/);
  assert.throws(() => runPolicy(settingsForLanguage(settings(), 'cobol'), capabilities, 'cobol'),
    /cannot run cobol/);
  assert.equal(runPolicy(settingsForLanguage(settings(), undefined), { ...capabilities, interactive: false }).interactive,
    false);
});
