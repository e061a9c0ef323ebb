// Reads the airlock.* settings of a resource's scope (so multi-root folders can differ) into plain data.

import * as vscode from 'vscode';
import { AirlockSettings, defaultSettings } from '../core/settings';

export function readSettings(scope?: vscode.Uri): AirlockSettings {
  const config = vscode.workspace.getConfiguration('airlock', scope);
  const get = <K extends keyof AirlockSettings>(key: K): AirlockSettings[K] =>
    config.get<AirlockSettings[K]>(key, defaultSettings[key]);
  return {
    serverPath: get('serverPath'),
    logFile: get('logFile'),
    isolation: get('isolation'),
    network: get('network'),
    workspaceMode: get('workspaceMode'),
    workingDirectory: get('workingDirectory'),
    interactive: get('interactive'),
    saveBeforeRun: get('saveBeforeRun'),
    limits: get('limits'),
    env: get('env'),
    args: defaultSettings.args,
    languages: get('languages'),
  };
}
