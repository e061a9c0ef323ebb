#pragma once

// The captured outputs and the programs that produced them (see capture.sh), and the paths they ran at.

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

#include "server/diagnostics/finding.h"
#include "server/diagnostics/mapper.h"
#include "server/diagnostics/workspace_file.h"

namespace airlock::test {

inline constexpr std::string_view kWorkspace = "/home/user/project";
inline constexpr std::string_view kWorkspaceUri = "file:///home/user/project";

inline std::string fixture_path(std::string_view name) {
  return std::string(AIRLOCK_SOURCE_DIR) + "/tests/unit/diagnostics_fixtures/" + std::string(name);
}

inline std::string read_fixture(std::string_view name) {
  std::ifstream in(fixture_path(name), std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + fixture_path(name) + "; regenerate with capture.sh");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A run in the fixture workspace, whose files are read from ./workspace; no snippet (a file run).
inline server::diagnostics::MappingContext workspace_context() {
  return server::diagnostics::MappingContext{
      .workspace_path = std::string(kWorkspace),
      .workspace_uri = std::string(kWorkspaceUri),
      .read_workspace_file =
          [](const std::string& relative_path) {
            return server::diagnostics::read_workspace_file(fixture_path("workspace"), relative_path);
          },
  };
}

// A run of `program` (a fixture file) as a snippet at /airlock/snippet.<extension>, without a source.
inline server::diagnostics::MappingContext snippet_context(std::string_view program, std::string_view extension) {
  server::diagnostics::MappingContext context = workspace_context();
  context.snippet_path = "/airlock/snippet." + std::string(extension);
  context.snippet_text = read_fixture(program);
  return context;
}

// A finding's frames, one per line: `path:line[:first[-last]] [label]`, for comparisons that print well.
inline std::string describe_frames(const server::diagnostics::Finding& finding) {
  std::string text;
  for (const auto& frame : finding.frames) {
    if (!text.empty()) text += "\n";
    text += frame.path + ":" + std::to_string(frame.line);
    if (frame.columns) {
      text += ":" + std::to_string(frame.columns->first);
      if (frame.columns->last) text += "-" + std::to_string(*frame.columns->last);
    }
    if (!frame.label.empty()) text += " " + frame.label;
  }
  return text;
}

}  // namespace airlock::test
