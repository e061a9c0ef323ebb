// What the diff editor shows as the sandbox's side of a changed entry: a file's text, or a line saying what the
// entry is when it has no text to compare (binary data, a folder, a symlink, a deletion).

import { ReadChangedFileResult } from './protocol';
import { formatBytes } from './runReport';

export function changedFileText(entry: ReadChangedFileResult): string {
  if (entry.kind === 'deleted') return '';
  if (entry.type === 'directory') return `(a folder created by the run: ${entry.path})\n`;
  if (entry.type === 'symlink') return `(a symbolic link to ${entry.target ?? 'an unknown target'}, not followed)\n`;
  const content = entry.content ?? '';
  if (entry.encoding !== 'base64') return content;
  return `(binary file, ${formatBytes(Buffer.from(content, 'base64').length)}: not shown)\n`;
}
