#pragma once

// Turns findings into LSP diagnostics on the editor's documents. A snippet's line k (1-based) becomes line
// source.line + k - 1 of source.uri; a workspace file's line k becomes line k - 1 of its file URI. Anything
// else (system libraries, interpreter internals, paths that leave the workspace) is never mapped: a frame
// there is dropped, and a finding none of whose frames maps yields no diagnostic.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics {

// Reads a workspace file given its '/'-separated path relative to the workspace folder; nullopt when it
// cannot be read, and then nothing maps to it. read_workspace_file (workspace_file.h) is the host's reader.
using WorkspaceFileReader = std::function<std::optional<std::string>(const std::string& relative_path)>;

struct MappingContext {
  std::string snippet_path;                 // where the snippet was written in the sandbox; empty for file runs
  std::string snippet_text;
  std::optional<protocol::Source> source;   // where the snippet sits in the editor; without it, nothing to show
                                            // snippet locations on, so they are dropped
  std::string workspace_path;               // the workspace folder, absolute, as paths in the output name it
  std::string workspace_uri;                // its file URI, as the client sent it
  std::string working_directory;            // absolute; relative paths in the output start here (default: workspace)
  WorkspaceFileReader read_workspace_file;
};

// Diagnostics by document URI, in the order the findings came.
using DiagnosticsByUri = std::map<std::string, std::vector<protocol::Diagnostic>>;

DiagnosticsByUri map_findings(const std::vector<Finding>& findings, const MappingContext& context);

}  // namespace airlock::server::diagnostics
