#pragma once

// A run's notifications (started, output, exited), its result, and the requests that steer a running run.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json.h"

namespace airlock::protocol {

enum class RunStatus { ok, failed, cancelled, timeout, limit, error };

std::string_view to_string(RunStatus status);
std::optional<RunStatus> run_status_from_string(std::string_view text);
void from_json(const json& value, RunStatus& status);
void to_json(json& value, RunStatus status);

// A file the run changed in an overlay workspace.
struct Change {
  std::string path;  // relative to workspaceFolder, '/'-separated
  std::string kind;  // "added" | "modified" | "deleted"

  bool operator==(const Change&) const = default;
};
void from_json(const json& value, Change& change);
void to_json(json& value, const Change& change);

// The sandbox/execute result, and also the params of sandbox/exited.
struct RunResult {
  std::string runId;
  RunStatus status = RunStatus::error;
  std::optional<int> exitCode;         // null when the program did not exit by itself
  std::optional<std::string> signal;   // "SIGKILL", ...; null unless a signal ended the program
  std::optional<std::string> limit;    // "memory" | "processes" | "output" | "disk" | "cpu"; set for status limit
  double durationMs = 0;
  std::int64_t stdoutBytes = 0;
  std::int64_t stderrBytes = 0;
  bool truncated = false;
  std::vector<Change> changes;         // always sent, empty outside overlay mode
  std::optional<std::string> message;  // always set for status error and limit

  bool operator==(const RunResult&) const = default;
};
void from_json(const json& value, RunResult& result);
void to_json(json& value, const RunResult& result);

// sandbox/started: the machine of a VM-isolated run.
struct StartedMachine {
  std::int64_t vcpus = 1;
  std::int64_t memoryMB = 0;  // the VM's memory: the run's memory limit plus the guest kernel's share
  bool prebooted = false;     // taken from the server's warm pool instead of booted for this run

  bool operator==(const StartedMachine&) const = default;
};
void from_json(const json& value, StartedMachine& machine);
void to_json(json& value, const StartedMachine& machine);

// sandbox/started
struct StartedParams {
  std::string runId;
  std::string isolation;
  std::string workspace;
  std::optional<std::string> accelerator;  // what executes the run where the server chose, e.g. "kvm" or "tcg"
  std::optional<StartedMachine> vm;        // VM isolation only

  bool operator==(const StartedParams&) const = default;
};
void from_json(const json& value, StartedParams& params);
void to_json(json& value, const StartedParams& params);

// sandbox/output
struct OutputParams {
  std::string runId;
  std::string stream;  // "stdout" | "stderr"
  std::string text;    // valid UTF-8, never a split character
  std::int64_t seq = 0;

  bool operator==(const OutputParams&) const = default;
};
void from_json(const json& value, OutputParams& params);
void to_json(json& value, const OutputParams& params);

// sandbox/cancel
struct CancelRunParams {
  std::string runId;

  bool operator==(const CancelRunParams&) const = default;
};
void from_json(const json& value, CancelRunParams& params);
void to_json(json& value, const CancelRunParams& params);

struct CancelRunResult {
  bool cancelled = false;  // false when no such run is active

  bool operator==(const CancelRunResult&) const = default;
};
void from_json(const json& value, CancelRunResult& result);
void to_json(json& value, const CancelRunResult& result);

// sandbox/input
struct InputParams {
  std::string runId;
  std::string text;
  std::optional<bool> eof;  // true: close the program's stdin after the text

  bool operator==(const InputParams&) const = default;
};
void from_json(const json& value, InputParams& params);
void to_json(json& value, const InputParams& params);

}  // namespace airlock::protocol
