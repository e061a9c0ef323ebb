// Which airlock binary to start: the configured one, else the one on PATH, else one shipped or built beside us.

import { accessSync, constants } from 'node:fs';
import { posix, win32 } from 'node:path';

export interface ServerPathContext {
  configured: string;
  pathVariable: string | undefined;
  platform: NodeJS.Platform;
  // Places an airlock binary may be found when it is not on PATH, in order: bundled in the extension, then the
  // build folder of the repository the extension was built from (a development checkout).
  fallbacks: string[];
  isExecutable?: (path: string) => boolean;
}

export function resolveServerPath(context: ServerPathContext): string | undefined {
  const isExecutable = context.isExecutable ?? executable;
  if (context.configured.trim() !== '') return context.configured.trim();
  const paths = context.platform === 'win32' ? win32 : posix;
  const name = context.platform === 'win32' ? 'airlock.exe' : 'airlock';
  const onPath = (context.pathVariable ?? '').split(paths.delimiter)
    .filter((dir) => dir !== '').map((dir) => paths.join(dir, name));
  return [...onPath, ...context.fallbacks].find(isExecutable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
