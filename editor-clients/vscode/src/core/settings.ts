// The extension's settings as plain data, and how they become the policy, limits and environment of a run.

import { ExecuteLimits, ExecutePolicy, Isolation, Network, SandboxCapabilities, WorkspaceMode, limitNames } from './protocol';

export type WorkspaceModeSetting = WorkspaceMode | 'auto';

export interface RunSettings {
  isolation: Isolation;
  network: Network;
  workspaceMode: WorkspaceModeSetting;
  interactive: boolean;
  limits: ExecuteLimits;
  env: Record<string, string>;
  args: string[];
}

export interface LanguageOverride extends Partial<RunSettings> {}

export interface AirlockSettings extends RunSettings {
  serverPath: string;
  logFile: string;
  workingDirectory: 'file' | 'workspaceFolder';
  saveBeforeRun: boolean;
  languages: Record<string, LanguageOverride>;
}

export const defaultSettings: AirlockSettings = {
  serverPath: '',
  logFile: '',
  isolation: 'process',
  network: 'none',
  workspaceMode: 'auto',
  workingDirectory: 'file',
  interactive: true,
  saveBeforeRun: true,
  limits: {},
  env: {},
  args: [],
  // Python buffers stdout when it is a pipe, which would hold its output back until the program ends.
  languages: { python: { env: { PYTHONUNBUFFERED: '1' } } },
};

// A setting the server cannot honour: the run is refused with this message instead of running less isolated.
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

// The settings for one language: the general ones with that language's override on top; limits and env merge
// key by key, everything else is replaced.
export function settingsForLanguage(settings: AirlockSettings, language: string | undefined): RunSettings {
  const override = (language && settings.languages[language]) || {};
  return {
    isolation: override.isolation ?? settings.isolation,
    network: override.network ?? settings.network,
    workspaceMode: override.workspaceMode ?? settings.workspaceMode,
    interactive: override.interactive ?? settings.interactive,
    limits: { ...settings.limits, ...override.limits },
    env: { ...settings.env, ...override.env },
    args: override.args ?? settings.args,
  };
}

export interface RunPolicy {
  policy: ExecutePolicy;
  limits?: ExecuteLimits;
  interactive: boolean;
}

// Checks the settings against what this server offers. Never picks a weaker isolation than asked for.
export function runPolicy(run: RunSettings, capabilities: SandboxCapabilities, language?: string): RunPolicy {
  if (capabilities.isolation.length === 0) {
    throw new SettingsError('the Airlock server reports that no sandbox is available on this machine');
  }
  if (!capabilities.isolation.includes(run.isolation)) {
    throw new SettingsError(`isolation "${run.isolation}" is not available on this machine ` +
      `(available: ${capabilities.isolation.join(', ')}); change airlock.isolation`);
  }
  if (language && capabilities.languages.length > 0 && !capabilities.languages.includes(language)) {
    throw new SettingsError(`the Airlock server cannot run ${language} ` +
      `(it runs: ${capabilities.languages.join(', ')})`);
  }
  const workspace = run.workspaceMode === 'auto'
    ? (capabilities.workspaceModes.includes('overlay') ? 'overlay' : 'readonly')
    : run.workspaceMode;
  if (capabilities.workspaceModes.length > 0 && !capabilities.workspaceModes.includes(workspace)) {
    throw new SettingsError(`workspace mode "${workspace}" is not supported by this server ` +
      `(supported: ${capabilities.workspaceModes.join(', ')}); change airlock.workspaceMode`);
  }
  const limits = cleanLimits(run.limits);
  return {
    policy: { isolation: run.isolation, network: run.network, workspace },
    ...(limits ? { limits } : {}),
    interactive: run.interactive && capabilities.interactive,
  };
}

// Only positive whole numbers reach the server; a limit the user left empty takes the server's default.
function cleanLimits(limits: ExecuteLimits): ExecuteLimits | undefined {
  const clean: ExecuteLimits = {};
  for (const name of limitNames) {
    const value = limits[name];
    if (value === undefined || value === null) continue;
    if (!Number.isInteger(value) || value <= 0) {
      throw new SettingsError(`airlock.limits.${name} must be a positive whole number, not ${JSON.stringify(value)}`);
    }
    clean[name] = value;
  }
  return Object.keys(clean).length > 0 ? clean : undefined;
}
