// Reviewing an overlay run's changes: the sandbox's side of a diff, and what applying them did.

import { ApplyChangesResult, ReadChangedFileResult } from './protocol';
import { formatBytes } from './runReport';

// A file's text, or a line saying what the entry is when it has no text to compare (binary data, a folder, a
// symlink, a deletion).
export function changedFileText(entry: ReadChangedFileResult): string {
  if (entry.kind === 'deleted') return '';
  if (entry.type === 'directory') return `(a folder created by the run: ${entry.path})\n`;
  if (entry.type === 'symlink') return `(a symbolic link to ${entry.target ?? 'an unknown target'}, not followed)\n`;
  const content = entry.content ?? '';
  if (entry.encoding !== 'base64') return content;
  return `(binary file, ${formatBytes(Buffer.from(content, 'base64').length)}: not shown)\n`;
}

// One message for the user: what was applied, and every path left untouched with the reason.
export function describeApply(result: ApplyChangesResult): { severity: 'info' | 'warning'; message: string } {
  const parts = [`Airlock applied ${result.applied.length} file(s)${result.applied.length > 0 ? `: ${result.applied.join(', ')}` : ''}.`];
  if (result.conflicts.length > 0) {
    parts.push(`Not applied because the workspace file changed since the run started: ${result.conflicts.join(', ')}.`);
  }
  for (const failure of result.failed ?? []) parts.push(`Not applied: ${failure.path} (${failure.message}).`);
  const untouched = result.conflicts.length + (result.failed?.length ?? 0);
  return { severity: untouched > 0 ? 'warning' : 'info', message: parts.join(' ') };
}
