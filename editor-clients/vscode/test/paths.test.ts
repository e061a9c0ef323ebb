import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  basename, fileUriToPath, isWindowsPath, pathToFileUri, relativeDirname, relativeToFolder, resolveInFolder, uriKey,
} from '../src/core/paths';

test('POSIX file URIs and paths convert both ways, with escapes', () => {
  assert.equal(fileUriToPath('file:///home/ann/my%20project/a.py'), '/home/ann/my project/a.py');
  assert.equal(pathToFileUri('/home/ann/my project/a#1.py'), 'file:///home/ann/my%20project/a%231.py');
  assert.equal(fileUriToPath(pathToFileUri('/tmp/ü/(x).py')), '/tmp/ü/(x).py');
  assert.equal(fileUriToPath('file://localhost/etc/hosts'), '/etc/hosts');
});

test('Windows drive letters: every spelling maps to one path and one URI', () => {
  assert.equal(fileUriToPath('file:///c%3A/Users/Ann/a.py'), 'c:\\Users\\Ann\\a.py');
  assert.equal(fileUriToPath('file:///C:/Users/Ann/a.py'), 'c:\\Users\\Ann\\a.py');
  assert.equal(fileUriToPath('file:///D:'), 'd:\\');
  assert.equal(pathToFileUri('C:\\Users\\Ann\\my file.py'), 'file:///c%3A/Users/Ann/my%20file.py');
  assert.equal(pathToFileUri('c:/Users/Ann'), 'file:///c%3A/Users/Ann');
  assert.equal(uriKey('file:///C:/Users/Ann/A.py'), uriKey('file:///c%3A/users/ann/a.py'));
  assert.ok(isWindowsPath('C:\\x') && isWindowsPath('\\\\server\\share') && !isWindowsPath('/c/x'));
});

test('UNC shares become file URIs with an authority and back', () => {
  assert.equal(fileUriToPath('file://server/share/dir/a.py'), '\\\\server\\share\\dir\\a.py');
  assert.equal(pathToFileUri('\\\\server\\share\\dir\\a.py'), 'file://server/share/dir/a.py');
});

test('non-file URIs are not paths and are their own key', () => {
  assert.equal(fileUriToPath('untitled:Untitled-1'), undefined);
  assert.equal(uriKey('untitled:Untitled-1'), 'untitled:Untitled-1');
  assert.notEqual(uriKey('file:///home/A.py'), uriKey('file:///home/a.py'), 'POSIX paths are case-sensitive');
});

test('relativeToFolder gives a /-separated path inside the folder, or nothing', () => {
  assert.equal(relativeToFolder('/work/proj', '/work/proj/src/a.py'), 'src/a.py');
  assert.equal(relativeToFolder('/work/proj/', '/work/proj'), '.');
  assert.equal(relativeToFolder('/work/proj', '/work/project/a.py'), undefined);
  assert.equal(relativeToFolder('/work/proj', '/work/proj/../etc/passwd'), undefined);
  assert.equal(relativeToFolder('C:\\Work\\Proj', 'c:\\work\\proj\\Src\\a.py'), 'Src/a.py');
  assert.equal(relativeToFolder('C:\\Work\\Proj', 'D:\\Work\\Proj\\a.py'), undefined);
  assert.equal(relativeToFolder('C:\\Work', '/work/a.py'), undefined);
});

test('resolveInFolder joins protocol paths and refuses ones that leave the folder', () => {
  assert.equal(resolveInFolder('/work/proj', 'src/a.py'), '/work/proj/src/a.py');
  assert.equal(resolveInFolder('C:\\Work\\Proj\\', 'src/a.py'), 'C:\\Work\\Proj\\src\\a.py');
  for (const evil of ['../x', 'a/../../x', '/etc/passwd', 'C:/x', 'a\\..\\x', '', 'a//b']) {
    assert.equal(resolveInFolder('/work/proj', evil), undefined, evil);
  }
});

test('relativeDirname and basename', () => {
  assert.equal(relativeDirname('src/pkg/a.py'), 'src/pkg');
  assert.equal(relativeDirname('a.py'), '.');
  assert.equal(basename('/work/proj/a.py'), 'a.py');
  assert.equal(basename('C:\\Work\\b.py'), 'b.py');
});
