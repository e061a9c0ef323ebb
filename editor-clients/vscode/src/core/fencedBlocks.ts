// Fenced code blocks (``` or ~~~, as CommonMark and chat transcripts write them) and the one under the cursor.

export interface FencedBlock {
  info: string;        // the info string's first word, e.g. "python"
  code: string;        // the block's content, the fence's indentation removed, ending with a newline if non-empty
  openLine: number;    // 0-based line of the opening fence
  closeLine: number;   // 0-based line of the closing fence (the last line of the text when unclosed)
  firstCodeLine: number;  // 0-based line of the first content line
}

const openingFence = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

export function findFencedBlocks(text: string): FencedBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = openingFence.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    let close = i + 1;
    while (close < lines.length && !closing.test(lines[close])) close++;
    const content = lines.slice(i + 1, Math.min(close, lines.length)).map((line) => dedent(line, indent.length));
    // An unclosed fence runs to the end of the document; a trailing empty line there is the file's final newline.
    if (close >= lines.length && content.length > 0 && content[content.length - 1] === '') content.pop();
    blocks.push({
      info: info.replace(/^\{\.?|\}$/g, '').toLowerCase(),
      code: content.length > 0 ? `${content.join('\n')}\n` : '',
      openLine: i,
      closeLine: Math.min(close, lines.length - 1),
      firstCodeLine: i + 1,
    });
    i = close;
  }
  return blocks;
}

// The block whose fences or content contain `line` (0-based), if any.
export function fencedBlockAt(text: string, line: number): FencedBlock | undefined {
  return findFencedBlocks(text).find((block) => line >= block.openLine && line <= block.closeLine);
}

// Content lines are indented at least as far as their fence in list items and quotes; remove that much, no more.
function dedent(line: string, width: number): string {
  let removed = 0;
  while (removed < width && (line[removed] === ' ' || line[removed] === '\t')) removed++;
  return line.slice(removed);
}
