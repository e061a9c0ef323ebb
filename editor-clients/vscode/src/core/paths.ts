// File URIs and paths of both kinds (POSIX and Windows), decided by the path's shape rather than the platform this
// code runs on, so Windows drive letters and UNC shares are handled (and tested) everywhere.

const driveLetterPath = /^[a-zA-Z]:([\\/]|$)/;

export function isWindowsPath(path: string): boolean {
  return driveLetterPath.test(path) || path.startsWith('\\\\');
}

// file:///home/a%20b/x.py -> /home/a b/x.py; file:///c%3A/Users/x.py and file:///C:/Users/x.py -> c:\Users\x.py;
// file://server/share/x -> \\server\share\x. Undefined for any other scheme.
export function fileUriToPath(uri: string): string | undefined {
  const match = /^file:\/\/([^/]*)(\/.*)?$/i.exec(uri);
  if (!match) return undefined;
  const authority = decodeURIComponent(match[1]);
  const path = decodeURIComponent(match[2] ?? '/');
  if (authority && authority.toLowerCase() !== 'localhost') {
    return `\\\\${authority}${path.replace(/\//g, '\\')}`;
  }
  const drive = /^\/([a-zA-Z]):(\/.*)?$/.exec(path);
  if (drive) return `${drive[1].toLowerCase()}:${(drive[2] ?? '\\').replace(/\//g, '\\')}`;
  return path;
}

// The inverse, in VS Code's own spelling (lower-case drive letter, ':' escaped) so URIs compare equal as strings.
export function pathToFileUri(path: string): string {
  if (path.startsWith('\\\\')) {
    const [authority, ...rest] = path.slice(2).split(/[\\/]/);
    return `file://${encodeSegment(authority)}/${rest.map(encodeSegment).join('/')}`;
  }
  const drive = /^([a-zA-Z]):(.*)$/.exec(path);
  if (drive) {
    const segments = drive[2].split(/[\\/]/).filter((s, i) => i > 0 || s !== '');
    return `file:///${drive[1].toLowerCase()}%3A/${segments.map(encodeSegment).join('/')}`;
  }
  return `file://${path.split('/').map(encodeSegment).join('/')}`;
}

// One key per file whatever the spelling of its URI, for matching diagnostics to documents. Non-file URIs
// (untitled:, vscode-notebook-cell:) are their own key.
export function uriKey(uri: string): string {
  const path = fileUriToPath(uri);
  if (path === undefined) return uri;
  return isWindowsPath(path) ? pathToFileUri(path).toLowerCase() : pathToFileUri(path);
}

// `file` relative to `folder`, '/'-separated as the protocol wants, or undefined when it lies outside.
// Windows paths compare case-insensitively, as their file systems do.
export function relativeToFolder(folder: string, file: string): string | undefined {
  const windows = isWindowsPath(folder);
  if (windows !== isWindowsPath(file)) return undefined;
  const split = (p: string) => p.split(windows ? /[\\/]/ : /\//).filter((s) => s !== '' && s !== '.');
  const folderParts = split(folder);
  const fileParts = split(file);
  if (fileParts.length < folderParts.length || fileParts.includes('..') || folderParts.includes('..')) return undefined;
  const same = (a: string, b: string) => (windows ? a.toLowerCase() === b.toLowerCase() : a === b);
  if (!folderParts.every((part, i) => same(part, fileParts[i]))) return undefined;
  const rest = fileParts.slice(folderParts.length);
  return rest.length === 0 ? '.' : rest.join('/');
}

// A protocol path (relative, '/'-separated) under `folder`, spelled with the folder's own separator.
// Refuses a path that would leave the folder: it comes from the server, and a sandbox's output is untrusted.
export function resolveInFolder(folder: string, relative: string): string | undefined {
  const parts = relative.split('/');
  if (relative === '' || relative.startsWith('/') || /^[a-zA-Z]:/.test(relative) || relative.includes('\\') ||
      parts.some((p) => p === '..' || p === '')) {
    return undefined;
  }
  const separator = isWindowsPath(folder) ? '\\' : '/';
  const base = folder.endsWith('/') || folder.endsWith('\\') ? folder.slice(0, -1) : folder;
  return [base, ...parts].join(separator);
}

// The folder part of a relative protocol path ('src/a.py' -> 'src', 'a.py' -> '.').
export function relativeDirname(relative: string): string {
  const slash = relative.lastIndexOf('/');
  return slash <= 0 ? '.' : relative.slice(0, slash);
}

export function basename(path: string): string {
  const parts = path.split(isWindowsPath(path) ? /[\\/]/ : /\//).filter((s) => s !== '');
  return parts[parts.length - 1] ?? path;
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
