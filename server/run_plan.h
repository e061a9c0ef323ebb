#pragma once

// Turns a validated execute request into what a backend runs: the sandbox's LaunchSpec plus what the
// server needs to report on the run (language, where the snippet lives, where it came from).

#include <optional>
#include <string>

#include "protocol/messages.h"
#include "sandbox/policy.h"
#include "server/config.h"

namespace airlock::server {

struct RunPlan {
  sandbox::LaunchSpec spec;
  std::string language;                     // empty for `command` runs
  std::string program_path;                 // the program file inside the sandbox (snippet or workspace file)
  bool snippet = false;                     // a `code` run: the program is a snippet, not a workspace file
  std::string snippet_code;                 // the snippet's text, for mapping diagnostics
  std::optional<protocol::Source> source;   // where a snippet came from in the editor
  std::string workspace_uri;                // the workspace folder as a file URI, as the client named it
  std::string stdin_text;
  bool close_stdin = true;                  // false for interactive runs
};

// Throws RequestError (-32602) naming the offending field.
RunPlan plan_run(const protocol::ExecuteParams& params, const ServerConfig& config);

}  // namespace airlock::server
