#include "protocol/execute_messages.h"

#include <array>
#include <utility>

#include "protocol/field_readers.h"
#include "protocol/wire_values.h"

namespace airlock::protocol {
namespace {

using namespace fields;

std::map<std::string, std::string> read_environment(const json& value) {
  if (!value.is_object()) throw ParamsError("", "expected an object of strings, got " + describe(value));
  std::map<std::string, std::string> environment;
  for (const auto& [name, setting] : value.items()) {
    // A name cannot be a path step, so it is quoted in the path: env["A.B"].
    const auto step = "[" + json(name).dump() + "]";
    if (name.empty()) throw ParamsError(step, "an environment variable name must not be empty");
    if (name.find('=') != std::string::npos || name.find('\0') != std::string::npos)
      throw ParamsError(step, "an environment variable name must not contain '=' or NUL");
    environment.emplace(name, read_within(step, setting, read_os_string));
  }
  return environment;
}

// Every limit has the same type and rule, so one table serves decoding and encoding.
constexpr std::array<std::pair<std::string_view, std::optional<std::int64_t> ExecuteLimits::*>, 7> kLimitMembers = {{
    {"timeoutMs", &ExecuteLimits::timeoutMs},
    {"memoryMB", &ExecuteLimits::memoryMB},
    {"maxProcesses", &ExecuteLimits::maxProcesses},
    {"outputBytes", &ExecuteLimits::outputBytes},
    {"diskMB", &ExecuteLimits::diskMB},
    {"cpuSeconds", &ExecuteLimits::cpuSeconds},
    {"vcpus", &ExecuteLimits::vcpus},
}};

}  // namespace

void from_json(const json& value, Source& source) {
  expect_object(value);
  source.uri = required(value, "uri", read_non_empty_string);
  source.line = required(value, "line", integer_at_least(0));
}

void to_json(json& value, const Source& source) { value = {{"uri", source.uri}, {"line", source.line}}; }

void from_json(const json& value, ExecutePolicy& policy) {
  expect_object(value);
  policy.isolation = optional(value, "isolation", read_non_empty_string);
  policy.network = optional(value, "network", one_of(kNetworkModes));
  policy.workspace = optional(value, "workspace", one_of(kWorkspaceModes));
}

void to_json(json& value, const ExecutePolicy& policy) {
  value = json::object();
  put_optional(value, "isolation", policy.isolation);
  put_optional(value, "network", policy.network);
  put_optional(value, "workspace", policy.workspace);
}

void from_json(const json& value, ExecuteLimits& limits) {
  expect_object(value);
  for (const auto& [name, member] : kLimitMembers) limits.*member = optional(value, name, integer_at_least(1));
}

void to_json(json& value, const ExecuteLimits& limits) {
  value = json::object();
  for (const auto& [name, member] : kLimitMembers) put_optional(value, name, limits.*member);
}

void from_json(const json& value, ExecuteParams& params) {
  expect_object(value);
  params.runId = optional(value, "runId", read_non_empty_string);
  params.workspaceFolder = required(value, "workspaceFolder", read_non_empty_os_string);
  params.code = optional(value, "code", read_string);
  params.file = optional(value, "file", read_non_empty_os_string);
  params.command = optional(value, "command", array_of(read_os_string, false));
  params.language = optional(value, "language", read_non_empty_string);
  params.args = optional(value, "args", array_of(read_os_string)).value_or(std::vector<std::string>{});
  params.cwd = optional(value, "cwd", read_non_empty_os_string).value_or(".");
  params.env = optional(value, "env", read_environment).value_or(std::map<std::string, std::string>{});
  params.stdinText = optional(value, "stdin", read_string);
  params.interactive = optional(value, "interactive", read_bool).value_or(false);
  params.source = optional(value, "source", read_struct<Source>);
  params.policy = optional(value, "policy", read_struct<ExecutePolicy>);
  params.limits = optional(value, "limits", read_struct<ExecuteLimits>);

  std::string given;
  for (const auto& [name, present] : {std::pair{"code", params.code.has_value()}, std::pair{"file", params.file.has_value()},
                                      std::pair{"command", params.command.has_value()}})
    if (present) given += given.empty() ? name : std::string(", ") + name;
  if (given.empty() || given.find(',') != std::string::npos)
    throw ParamsError("", "exactly one of code, file, command is required (got " + (given.empty() ? "none" : given) + ")");
  if (params.command && params.command->front().empty())
    throw ParamsError("command[0]", "expected the program to run, got an empty string");
  if (params.code && !params.language)
    throw ParamsError("language", "is required with code (one of capabilities.sandbox.languages)");
}

void to_json(json& value, const ExecuteParams& params) {
  value = {{"workspaceFolder", params.workspaceFolder},
           {"args", params.args},
           {"cwd", params.cwd},
           {"env", params.env},
           {"interactive", params.interactive}};
  put_optional(value, "runId", params.runId);
  put_optional(value, "code", params.code);
  put_optional(value, "file", params.file);
  put_optional(value, "command", params.command);
  put_optional(value, "language", params.language);
  put_optional(value, "stdin", params.stdinText);
  put_optional(value, "source", params.source);
  put_optional(value, "policy", params.policy);
  put_optional(value, "limits", params.limits);
}

}  // namespace airlock::protocol
