// What the user asked to run (a file, or a snippet from a document) turned into sandbox/execute params.

import { languageOfFileName } from './languages';
import { basename, relativeDirname, relativeToFolder } from './paths';
import { ExecuteParams, SandboxCapabilities, SourceLocation } from './protocol';
import { AirlockSettings, SettingsError, runPolicy, settingsForLanguage } from './settings';

export type RunTarget =
  | {
      kind: 'file';
      workspaceFolder: string;  // absolute path
      filePath: string;         // absolute path, inside workspaceFolder
      language?: string;        // Airlock's name; from the file name when absent
    }
  | {
      kind: 'code';
      workspaceFolder: string;
      code: string;
      language: string;
      source: SourceLocation;   // the document and 0-based line the snippet starts at
      sourcePath?: string;      // the document's path when it is a file
    };

export interface RunRequest {
  params: ExecuteParams;
  label: string;      // what ran, for the terminal and status bar
  language?: string;
}

export function buildRunRequest(target: RunTarget, settings: AirlockSettings,
                                capabilities: SandboxCapabilities): RunRequest {
  const language = target.kind === 'file' ? target.language ?? languageOfFileName(target.filePath) : target.language;
  const run = settingsForLanguage(settings, language);
  const { policy, limits, interactive } = runPolicy(run, capabilities, language);
  const common = {
    workspaceFolder: target.workspaceFolder,
    ...(language ? { language } : {}),
    ...(run.args.length > 0 ? { args: run.args } : {}),
    ...(Object.keys(run.env).length > 0 ? { env: run.env } : {}),
    interactive,
    policy,
    ...(limits ? { limits } : {}),
  };

  if (target.kind === 'file') {
    const file = relativeToFolder(target.workspaceFolder, target.filePath);
    if (file === undefined || file === '.') {
      throw new SettingsError(`${target.filePath} is not inside the workspace folder ${target.workspaceFolder}`);
    }
    const cwd = settings.workingDirectory === 'file' ? relativeDirname(file) : '.';
    return { params: { ...common, file, cwd }, label: file, language };
  }

  const sourceRelative = target.sourcePath !== undefined
    ? relativeToFolder(target.workspaceFolder, target.sourcePath) : undefined;
  const cwd = settings.workingDirectory === 'file' && sourceRelative !== undefined && sourceRelative !== '.'
    ? relativeDirname(sourceRelative) : '.';
  const from = target.sourcePath !== undefined ? basename(target.sourcePath) : target.source.uri;
  return {
    params: { ...common, code: target.code, source: target.source, cwd },
    label: `${language} snippet from ${from}:${target.source.line + 1}`,
    language,
  };
}
