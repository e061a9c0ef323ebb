#pragma once

// sandbox/execute params: what to run, where it came from, and what the sandbox allows.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json.h"

namespace airlock::protocol {

// Where a snippet came from.
struct Source {
  std::string uri;
  std::int64_t line = 0;  // 0-based line of the snippet's first line

  bool operator==(const Source&) const = default;
};
void from_json(const json& value, Source& source);
void to_json(json& value, const Source& source);

// Absent members mean "the server's default".
struct ExecutePolicy {
  std::optional<std::string> isolation;  // "process", "vm", ...: one of capabilities.sandbox.isolation
  std::optional<std::string> network;    // "none" | "host"
  std::optional<std::string> workspace;  // "readonly" | "overlay" | "readwrite"

  bool operator==(const ExecutePolicy&) const = default;
};
void from_json(const json& value, ExecutePolicy& policy);
void to_json(json& value, const ExecutePolicy& policy);

// Every member, when present, is > 0. Absent members mean "the server's default".
struct ExecuteLimits {
  std::optional<std::int64_t> timeoutMs;
  std::optional<std::int64_t> memoryMB;
  std::optional<std::int64_t> maxProcesses;
  std::optional<std::int64_t> outputBytes;
  std::optional<std::int64_t> diskMB;
  std::optional<std::int64_t> cpuSeconds;
  std::optional<std::int64_t> vcpus;  // VM isolation: the VM's virtual CPUs (process isolation does not apply it)

  bool operator==(const ExecuteLimits&) const = default;
};
void from_json(const json& value, ExecuteLimits& limits);
void to_json(json& value, const ExecuteLimits& limits);

// Exactly one of code, file and command is set; code comes with a language. Paths (file, cwd) are only checked
// for shape here; the server resolves them against the workspace.
struct ExecuteParams {
  std::optional<std::string> runId;  // non-empty; the server generates one when absent
  std::string workspaceFolder;       // file URI or absolute path
  std::optional<std::string> code;
  std::optional<std::string> file;                   // relative to workspaceFolder
  std::optional<std::vector<std::string>> command;   // argv, non-empty
  std::optional<std::string> language;
  std::vector<std::string> args;
  std::string cwd = ".";                  // relative to workspaceFolder
  std::map<std::string, std::string> env;  // keys non-empty, without '='
  // Named stdinText, not stdin: some C libraries (e.g. Windows') define stdin as a macro. On the wire: "stdin".
  std::optional<std::string> stdinText;
  bool interactive = false;
  std::optional<Source> source;
  std::optional<ExecutePolicy> policy;
  std::optional<ExecuteLimits> limits;

  bool operator==(const ExecuteParams&) const = default;
};
void from_json(const json& value, ExecuteParams& params);
void to_json(json& value, const ExecuteParams& params);

}  // namespace airlock::protocol
