// "Run in Sandbox" above each fenced code block of Markdown and plain-text (chat transcript) documents.

import * as vscode from 'vscode';
import { findFencedBlocks } from '../core/fencedBlocks';
import { airlockLanguage } from '../core/languages';

export const blockDocuments: vscode.DocumentSelector = [{ language: 'markdown' }, { language: 'plaintext' }];

export class BlockCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return findFencedBlocks(document.getText())
      .filter((block) => block.code !== '' && airlockLanguage(block.info) !== undefined)
      .map((block) => new vscode.CodeLens(new vscode.Range(block.openLine, 0, block.openLine, 0), {
        title: `$(play) Run ${block.info} in Sandbox`,
        command: 'airlock.runBlock',
        arguments: [document.uri, block.openLine],
      }));
  }
}
