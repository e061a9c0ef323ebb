// The message when this machine cannot sandbox: the server's reason, and `airlock doctor`'s full explanation.

import * as vscode from 'vscode';
import { explainUnavailable, runDoctor } from '../core/doctor';

export async function reportSandboxUnavailable(reason: string, serverPath: string | undefined,
                                               log: vscode.OutputChannel): Promise<void> {
  const choice = await vscode.window.showErrorMessage(
    `Airlock cannot create a sandbox on this machine, so nothing was run: ${reason}`,
    'Show Explanation', 'Open Settings');
  if (choice === 'Open Settings') {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'airlock');
  } else if (choice === 'Show Explanation') {
    log.appendLine(serverPath ? `$ ${serverPath} doctor` : 'No airlock binary was found to run "airlock doctor".');
    if (serverPath) log.appendLine(await runDoctor(serverPath));
    log.show(true);
  }
}

// When the server offers no isolation level at all, the reason is in `airlock doctor`, not in initialize.
export async function reportNoIsolation(serverPath: string | undefined, log: vscode.OutputChannel): Promise<void> {
  const reason = serverPath ? await explainUnavailable(serverPath) : undefined;
  await reportSandboxUnavailable(reason ?? 'the server reports no isolation level available', serverPath, log);
}
