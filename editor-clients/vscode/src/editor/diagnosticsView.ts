// Shows the server's diagnostics in the Problems panel, at the documents their URIs name.

import * as vscode from 'vscode';
import { DiagnosticsStore } from '../core/diagnosticsStore';
import { fileUriToPath } from '../core/paths';
import { Diagnostic, Range } from '../core/protocol';

const severities: Record<number, vscode.DiagnosticSeverity> = {
  1: vscode.DiagnosticSeverity.Error,
  2: vscode.DiagnosticSeverity.Warning,
  3: vscode.DiagnosticSeverity.Information,
  4: vscode.DiagnosticSeverity.Hint,
};

export function createDiagnosticsView(): { store: DiagnosticsStore; collection: vscode.DiagnosticCollection } {
  const collection = vscode.languages.createDiagnosticCollection('airlock');
  const store = new DiagnosticsStore((uri, diagnostics) => {
    collection.set(toEditorUri(uri), diagnostics.map(toEditorDiagnostic));
  });
  return { store, collection };
}

// The same file under every spelling of its URI (drive letter case, escaped ':'), so entries land on open documents.
export function toEditorUri(uri: string): vscode.Uri {
  const path = fileUriToPath(uri);
  return path === undefined ? vscode.Uri.parse(uri) : vscode.Uri.file(path);
}

function toEditorRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

function toEditorDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toEditorRange(d.range), d.message,
    severities[d.severity ?? 1] ?? vscode.DiagnosticSeverity.Error);
  diagnostic.source = d.source ?? 'airlock';
  if (d.code !== undefined) diagnostic.code = d.code;
  diagnostic.relatedInformation = d.relatedInformation?.map((info) => new vscode.DiagnosticRelatedInformation(
    new vscode.Location(toEditorUri(info.location.uri), toEditorRange(info.location.range)), info.message));
  return diagnostic;
}
