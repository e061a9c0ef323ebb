// `airlock doctor`: the server's own explanation of why (or whether) it can sandbox code on this machine.

import { execFile } from 'node:child_process';

const doctorTimeoutMs = 20_000;

export function runDoctor(serverPath: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(serverPath, ['doctor'], { timeout: doctorTimeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      const text = `${stdout}${stderr}`.trim();
      if (text !== '') resolve(text);
      else resolve(`"${serverPath} doctor" printed nothing (${error ? error.message : 'exit code 0'})`);
    });
  });
}
