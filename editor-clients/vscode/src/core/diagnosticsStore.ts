// The diagnostics the server published, per document, and the rule that a clean run clears its document's list
// even when the server sent nothing for it.

import { Diagnostic, PublishDiagnosticsParams } from './protocol';
import { uriKey } from './paths';

export interface DocumentDiagnostics {
  uri: string;  // as the server spelled it
  diagnostics: Diagnostic[];
}

export class DiagnosticsStore {
  private readonly byDocument = new Map<string, DocumentDiagnostics>();
  // Per running run: the document it came from and whether the server published for that document meanwhile.
  private readonly runs = new Map<string, { documentKey: string; republished: boolean }>();

  constructor(private readonly changed: (uri: string, diagnostics: Diagnostic[]) => void) {}

  // LSP semantics: a publication replaces the document's list; an empty list clears it.
  publish(params: PublishDiagnosticsParams): void {
    const key = uriKey(params.uri);
    const previous = this.byDocument.get(key);
    if (params.diagnostics.length === 0) this.byDocument.delete(key);
    else this.byDocument.set(key, { uri: params.uri, diagnostics: params.diagnostics });
    for (const run of this.runs.values()) if (run.documentKey === key) run.republished = true;
    // A clear goes to the spelling the editor was given, so it reaches the same document.
    this.changed(previous && params.diagnostics.length === 0 ? previous.uri : params.uri, params.diagnostics);
  }

  runStarted(runId: string, documentUri: string): void {
    this.runs.set(runId, { documentKey: uriKey(documentUri), republished: false });
  }

  runFinished(runId: string, clean: boolean): void {
    const run = this.runs.get(runId);
    this.runs.delete(runId);
    if (!run || !clean || run.republished) return;
    const stale = this.byDocument.get(run.documentKey);
    if (!stale) return;
    this.byDocument.delete(run.documentKey);
    this.changed(stale.uri, []);
  }

  get(uri: string): Diagnostic[] {
    return this.byDocument.get(uriKey(uri))?.diagnostics ?? [];
  }
}
