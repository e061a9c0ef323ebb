// Text for a VS Code pseudoterminal: program output with stderr in red and bare newlines made CRLF, and a
// line discipline for typed input (the sandboxed program's stdin is a pipe, not a tty, so nothing else echoes).

export const ansi = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
  defaultColour: '\x1b[39m',
} as const;

// A program's own "reset all attributes" also drops the red we put on stderr; put it back after each.
const resetSequence = /\x1b\[0?m/g;

export class OutputRenderer {
  private lastWasCarriageReturn = false;
  atLineStart = true;

  output(stream: 'stdout' | 'stderr', text: string): string {
    const lines = this.plain(text);
    if (stream === 'stdout' || text === '') return lines;
    return `${ansi.red}${lines.replace(resetSequence, (reset) => reset + ansi.red)}${ansi.defaultColour}`;
  }

  // Text written as is apart from newlines: headers, footers, echoed input.
  plain(text: string): string {
    if (text === '') return '';
    const continuesCrlf = this.lastWasCarriageReturn && text.startsWith('\n');
    const body = continuesCrlf ? text.slice(1) : text;
    const converted = (continuesCrlf ? '\n' : '') + body.replace(/\r?\n/g, '\r\n');
    this.lastWasCarriageReturn = text.endsWith('\r');
    this.atLineStart = text.endsWith('\n') || text.endsWith('\r');
    return converted;
  }

  // Moves to the start of a fresh line if the program left one unfinished.
  freshLine(): string {
    return this.atLineStart ? '' : this.plain('\n');
  }
}

export interface InputResult {
  echo: string;
  sends: { text: string; eof?: boolean }[];
  interrupt: boolean;
}

// Cooked-mode editing like a terminal's: Enter sends the line, Backspace and Ctrl-U edit it, Ctrl-D sends what was
// typed or, on an empty line, ends input; Ctrl-C interrupts. Escape sequences (arrows, function keys) are dropped.
export class LineDiscipline {
  private line: string[] = [];
  private lastWasCarriageReturn = false;

  feed(data: string): InputResult {
    const result: InputResult = { echo: '', sends: [], interrupt: false };
    const chars = Array.from(data);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i];
      const afterCarriageReturn = this.lastWasCarriageReturn;
      this.lastWasCarriageReturn = c === '\r';
      if (c === '\x03') {
        result.echo += '^C\r\n';
        result.interrupt = true;
        this.line = [];
        return result;
      }
      if (c === '\r' || c === '\n') {
        if (c === '\n' && afterCarriageReturn) continue;
        result.echo += '\r\n';
        result.sends.push({ text: `${this.line.join('')}\n` });
        this.line = [];
      } else if (c === '\x04') {
        if (this.line.length === 0) {
          result.echo += '^D\r\n';
          result.sends.push({ text: '', eof: true });
        } else {
          result.sends.push({ text: this.line.join('') });
          this.line = [];
        }
      } else if (c === '\x7f' || c === '\b') {
        if (this.line.pop() !== undefined) result.echo += '\b \b';
      } else if (c === '\x15') {
        result.echo += '\b \b'.repeat(this.line.length);
        this.line = [];
      } else if (c === '\x1b') {
        i = skipEscapeSequence(chars, i);
      } else if (c === '\t' || c >= ' ') {
        this.line.push(c);
        result.echo += c;
      }
    }
    return result;
  }
}

// Index of the last character of the escape sequence starting at `start` (CSI `ESC [ ... final`, SS3 `ESC O x`).
function skipEscapeSequence(chars: string[], start: number): number {
  const next = chars[start + 1];
  if (next === 'O') return Math.min(start + 2, chars.length - 1);
  if (next !== '[') return start + (next === undefined ? 0 : 1);
  let i = start + 2;
  while (i < chars.length && !(chars[i] >= '@' && chars[i] <= '~')) i++;
  return Math.min(i, chars.length - 1);
}
