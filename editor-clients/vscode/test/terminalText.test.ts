import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineDiscipline, OutputRenderer, ansi } from '../src/core/terminalText';

test('bare newlines become CRLF, also when a CRLF is split across chunks', () => {
  const r = new OutputRenderer();
  assert.equal(r.output('stdout', 'a\nb\r\nc'), 'a\r\nb\r\nc');
  assert.equal(r.output('stdout', 'd\r'), 'd\r');
  assert.equal(r.output('stdout', '\ne\n'), '\ne\r\n');
  assert.equal(r.output('stdout', 'progress 1\rprogress 2\r'), 'progress 1\rprogress 2\r');
});

test('stderr is red, and stays red after the program resets its own colours', () => {
  const r = new OutputRenderer();
  const text = r.output('stderr', `warn ${ansi.yellow}x${ansi.reset} y\x1b[m z\n`);
  assert.equal(text, `${ansi.red}warn ${ansi.yellow}x${ansi.reset}${ansi.red} y\x1b[m${ansi.red} z\r\n${ansi.defaultColour}`);
  assert.equal(r.output('stdout', `${ansi.green}ok${ansi.reset}\n`), `${ansi.green}ok${ansi.reset}\r\n`,
    'program colours on stdout pass through untouched');
});

test('freshLine ends an unfinished line only', () => {
  const r = new OutputRenderer();
  assert.equal(r.freshLine(), '');
  r.output('stdout', 'no newline');
  assert.equal(r.freshLine(), '\r\n');
  assert.equal(r.freshLine(), '');
});

test('typed characters echo; Enter sends the line with a newline', () => {
  const d = new LineDiscipline();
  assert.deepEqual(d.feed('ab'), { echo: 'ab', sends: [], interrupt: false });
  assert.deepEqual(d.feed('c\r'), { echo: 'c\r\n', sends: [{ text: 'abc\n' }], interrupt: false });
});

test('backspace and Ctrl-U edit the line before it is sent; multi-byte characters count as one', () => {
  const d = new LineDiscipline();
  d.feed('héé😀');
  assert.equal(d.feed('\x7f').echo, '\b \b');
  d.feed('\x7f');
  assert.deepEqual(d.feed('\r').sends, [{ text: 'hé\n' }]);
  d.feed('xyz');
  assert.equal(d.feed('\x15').echo, '\b \b'.repeat(3));
  assert.deepEqual(d.feed('\r').sends, [{ text: '\n' }]);
  assert.equal(d.feed('\x7f').echo, '', 'backspace on an empty line does nothing');
});

test('pasted lines: CRLF counts as one Enter', () => {
  const d = new LineDiscipline();
  assert.deepEqual(d.feed('one\r\ntwo\nthree').sends, [{ text: 'one\n' }, { text: 'two\n' }]);
  assert.deepEqual(d.feed('\r').sends, [{ text: 'three\n' }]);
});

test('Ctrl-D sends a partial line, or ends input on an empty one', () => {
  const d = new LineDiscipline();
  assert.deepEqual(d.feed('abc\x04').sends, [{ text: 'abc' }]);
  assert.deepEqual(d.feed('\x04'), { echo: '^D\r\n', sends: [{ text: '', eof: true }], interrupt: false });
});

test('Ctrl-C interrupts and drops the rest of the input', () => {
  const d = new LineDiscipline();
  const r = d.feed('abc\x03def\r');
  assert.equal(r.interrupt, true);
  assert.deepEqual(r.sends, []);
  assert.equal(r.echo, 'abc^C\r\n');
});

test('arrow keys and other escape sequences are not sent to the program', () => {
  const d = new LineDiscipline();
  assert.deepEqual(d.feed('a\x1b[A\x1b[1;5Cb\x1bOPc\r').sends, [{ text: 'abc\n' }]);
});
