#include "protocol/run_messages.h"

#include <array>
#include <limits>

#include "protocol/field_readers.h"
#include "protocol/wire_values.h"

namespace airlock::protocol {
namespace {

using namespace fields;

// Indexed by RunStatus.
constexpr std::array<std::string_view, 6> kRunStatusNames = {"ok", "failed", "cancelled", "timeout", "limit", "error"};

int read_exit_code(const json& value) {
  return static_cast<int>(read_integer_in_range(value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

}  // namespace

std::string_view to_string(RunStatus status) { return kRunStatusNames.at(static_cast<std::size_t>(status)); }

std::optional<RunStatus> run_status_from_string(std::string_view text) {
  for (std::size_t index = 0; index < kRunStatusNames.size(); ++index)
    if (kRunStatusNames[index] == text) return static_cast<RunStatus>(index);
  return std::nullopt;
}

void from_json(const json& value, RunStatus& status) {
  status = *run_status_from_string(read_one_of(value, kRunStatusNames));
}

void to_json(json& value, RunStatus status) { value = to_string(status); }

void from_json(const json& value, Change& change) {
  expect_object(value);
  change.path = required(value, "path", read_non_empty_string);
  change.kind = required(value, "kind", one_of(kChangeKinds));
}

void to_json(json& value, const Change& change) { value = {{"path", change.path}, {"kind", change.kind}}; }

void from_json(const json& value, RunResult& result) {
  expect_object(value);
  result.runId = required(value, "runId", read_non_empty_string);
  result.status = required(value, "status", read_struct<RunStatus>);
  result.exitCode = optional(value, "exitCode", read_exit_code);
  result.signal = optional(value, "signal", read_non_empty_string);
  result.limit = optional(value, "limit", one_of(kLimitKinds));
  result.durationMs = required(value, "durationMs", read_non_negative_number);
  result.stdoutBytes = required(value, "stdoutBytes", integer_at_least(0));
  result.stderrBytes = required(value, "stderrBytes", integer_at_least(0));
  result.truncated = required(value, "truncated", read_bool);
  result.changes = optional(value, "changes", array_of(read_struct<Change>)).value_or(std::vector<Change>{});
  result.message = optional(value, "message", read_string);
}

void to_json(json& value, const RunResult& result) {
  value = {
      {"runId", result.runId},
      {"status", result.status},
      {"exitCode", result.exitCode ? json(*result.exitCode) : json(nullptr)},
      {"signal", result.signal ? json(*result.signal) : json(nullptr)},
      {"limit", result.limit ? json(*result.limit) : json(nullptr)},
      {"durationMs", result.durationMs},
      {"stdoutBytes", result.stdoutBytes},
      {"stderrBytes", result.stderrBytes},
      {"truncated", result.truncated},
      {"changes", result.changes},
  };
  put_optional(value, "message", result.message);
}

void from_json(const json& value, StartedMachine& machine) {
  expect_object(value);
  machine.vcpus = required(value, "vcpus", integer_at_least(1));
  machine.memoryMB = required(value, "memoryMB", integer_at_least(1));
  machine.prebooted = required(value, "prebooted", read_bool);
}

void to_json(json& value, const StartedMachine& machine) {
  value = {{"vcpus", machine.vcpus}, {"memoryMB", machine.memoryMB}, {"prebooted", machine.prebooted}};
}

void from_json(const json& value, StartedParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
  params.isolation = required(value, "isolation", read_non_empty_string);
  params.workspace = required(value, "workspace", one_of(kWorkspaceModes));
  params.accelerator = optional(value, "accelerator", read_non_empty_string);
  params.vm = optional(value, "vm", read_struct<StartedMachine>);
}

void to_json(json& value, const StartedParams& params) {
  value = {{"runId", params.runId}, {"isolation", params.isolation}, {"workspace", params.workspace}};
  put_optional(value, "accelerator", params.accelerator);
  put_optional(value, "vm", params.vm);
}

void from_json(const json& value, OutputParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
  params.stream = required(value, "stream", one_of(kOutputStreams));
  params.text = required(value, "text", read_string);
  params.seq = required(value, "seq", integer_at_least(0));
}

void to_json(json& value, const OutputParams& params) {
  value = {{"runId", params.runId}, {"stream", params.stream}, {"text", params.text}, {"seq", params.seq}};
}

void from_json(const json& value, CancelRunParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
}

void to_json(json& value, const CancelRunParams& params) { value = {{"runId", params.runId}}; }

void from_json(const json& value, CancelRunResult& result) {
  expect_object(value);
  result.cancelled = required(value, "cancelled", read_bool);
}

void to_json(json& value, const CancelRunResult& result) { value = {{"cancelled", result.cancelled}}; }

void from_json(const json& value, InputParams& params) {
  expect_object(value);
  params.runId = required(value, "runId", read_non_empty_string);
  params.text = required(value, "text", read_string);
  params.eof = optional(value, "eof", read_bool);
}

void to_json(json& value, const InputParams& params) {
  value = {{"runId", params.runId}, {"text", params.text}};
  put_optional(value, "eof", params.eof);
}

}  // namespace airlock::protocol
