import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fencedBlockAt, findFencedBlocks } from '../src/core/fencedBlocks';

const chat = [
  'Here is a fix:',            // 0
  '',                          // 1
  '```python',                 // 2
  'print("hi")',               // 3
  'x = 1 / 0',                 // 4
  '```',                       // 5
  'And in JS:',                // 6
  '~~~js title="demo"',        // 7
  'console.log(1)',            // 8
  '~~~',                       // 9
].join('\n');

test('finds backtick and tilde blocks with their language and lines', () => {
  const blocks = findFencedBlocks(chat);
  assert.equal(blocks.length, 2);
  assert.deepEqual(blocks[0], {
    info: 'python', code: 'print("hi")\nx = 1 / 0\n', openLine: 2, closeLine: 5, firstCodeLine: 3,
  });
  assert.equal(blocks[1].info, 'js');
  assert.equal(blocks[1].code, 'console.log(1)\n');
});

test('the block under the cursor, including its fence lines; none between blocks', () => {
  assert.equal(fencedBlockAt(chat, 2)?.info, 'python');
  assert.equal(fencedBlockAt(chat, 4)?.info, 'python');
  assert.equal(fencedBlockAt(chat, 5)?.info, 'python');
  assert.equal(fencedBlockAt(chat, 6), undefined);
  assert.equal(fencedBlockAt(chat, 8)?.info, 'js');
  assert.equal(fencedBlockAt(chat, 0), undefined);
});

test('a longer fence can contain a shorter one, and closes only with at least its length', () => {
  const text = '````markdown\n```python\nx\n```\n````\n';
  const blocks = findFencedBlocks(text);
  assert.equal(blocks.length, 1);
  assert.equal(blocks[0].code, '```python\nx\n```\n');
});

test('indented fences in list items lose their indentation, CRLF documents work', () => {
  const text = '1. Run this:\r\n   ```bash\r\n   echo hi\r\n     echo indented\r\n   ```\r\n';
  const block = fencedBlockAt(text, 2);
  assert.equal(block?.info, 'bash');
  assert.equal(block?.code, 'echo hi\n  echo indented\n');
});

test('an unclosed fence runs to the end of the document', () => {
  const block = fencedBlockAt('```sh\necho a\necho b\n', 2);
  assert.equal(block?.code, 'echo a\necho b\n');
  assert.equal(block?.closeLine, 3);
});

test('info strings: pandoc braces, upper case, empty', () => {
  assert.equal(findFencedBlocks('```{.Python}\nx\n```')[0].info, 'python');
  assert.equal(findFencedBlocks('```\nx\n```')[0].info, '');
  assert.equal(findFencedBlocks('``` Py \nx\n```')[0].info, 'py');
});

test('inline backticks are not fences', () => {
  assert.deepEqual(findFencedBlocks('use ```x``` inline\nand ``` `y` ```'), []);
});
