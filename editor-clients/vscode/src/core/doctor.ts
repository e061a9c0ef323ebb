// `airlock doctor`: the server's own explanation of why (or whether) it can sandbox code on this machine.

import { execFile } from 'node:child_process';

const doctorTimeoutMs = 20_000;

function doctor(serverPath: string, args: string[]): Promise<{ output: string; failure?: string }> {
  return new Promise((resolve) => {
    execFile(serverPath, ['doctor', ...args], { timeout: doctorTimeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      resolve({ output: `${stdout}${stderr}`.trim(), failure: error?.message });
    });
  });
}

// The whole report, for people.
export async function runDoctor(serverPath: string): Promise<string> {
  const { output, failure } = await doctor(serverPath, []);
  return output !== '' ? output : `"${serverPath} doctor" printed nothing (${failure ?? 'exit code 0'})`;
}

// Why each isolation level is unavailable, with the fix, from `doctor --json`'s {isolation: [{name, available,
// reason}]}; empty when the report cannot be read (the caller then has only the server's own message).
export function unavailableReasons(doctorJson: string): string[] {
  try {
    const report = JSON.parse(doctorJson) as { isolation?: { name?: string; available?: boolean; reason?: string }[] };
    return (report.isolation ?? [])
      .filter((level) => level.available === false && typeof level.reason === 'string')
      .map((level) => `isolation "${level.name}": ${level.reason}`);
  } catch {
    return [];
  }
}

export async function explainUnavailable(serverPath: string): Promise<string | undefined> {
  const reasons = unavailableReasons((await doctor(serverPath, ['--json'])).output);
  return reasons.length > 0 ? reasons.join(' ') : undefined;
}
