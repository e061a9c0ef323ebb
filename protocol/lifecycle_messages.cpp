#include "protocol/lifecycle_messages.h"

#include "protocol/field_readers.h"

namespace airlock::protocol {
namespace {

using namespace fields;

constexpr std::string_view kSandboxCapability = "sandbox";

// {"vm": "tcg"}: isolation level -> what executes it.
std::map<std::string, std::string> read_accelerators(const json& value) {
  if (!value.is_object()) throw ParamsError("", "expected an object of strings, got " + describe(value));
  std::map<std::string, std::string> accelerators;
  for (const auto& [isolation, accelerator] : value.items())
    accelerators.emplace(isolation, read_within("[" + json(isolation).dump() + "]", accelerator, read_non_empty_string));
  return accelerators;
}

}  // namespace

void from_json(const json& value, ProgramInfo& info) {
  expect_object(value);
  info.name = required(value, "name", read_string);
  info.version = optional(value, "version", read_string);
}

void to_json(json& value, const ProgramInfo& info) {
  value = {{"name", info.name}};
  put_optional(value, "version", info.version);
}

void from_json(const json& value, InitializeParams& params) {
  expect_object(value);
  params.processId = optional(value, "processId", read_integer);
  params.rootUri = optional(value, "rootUri", read_string);
  params.clientInfo = optional(value, "clientInfo", read_struct<ProgramInfo>);
  params.capabilities = optional(value, "capabilities", [](const json& capabilities) {
                          return expect_object(capabilities);
                        }).value_or(json::object());
}

void to_json(json& value, const InitializeParams& params) {
  value = {{"processId", params.processId ? json(*params.processId) : json(nullptr)},
           {"rootUri", params.rootUri ? json(*params.rootUri) : json(nullptr)},
           {"capabilities", params.capabilities}};
  put_optional(value, "clientInfo", params.clientInfo);
}

void from_json(const json& value, LimitsCapability& limits) {
  expect_object(value);
  limits.defaults = required(value, "defaults", read_struct<ExecuteLimits>);
  limits.maximums = required(value, "maximums", read_struct<ExecuteLimits>);
}

void to_json(json& value, const LimitsCapability& limits) {
  value = {{"defaults", limits.defaults}, {"maximums", limits.maximums}};
}

void from_json(const json& value, SandboxCapabilities& capabilities) {
  expect_object(value);
  capabilities.languages = required(value, "languages", array_of(read_non_empty_string));
  capabilities.isolation = required(value, "isolation", array_of(read_non_empty_string));
  capabilities.workspaceModes = required(value, "workspaceModes", array_of(read_non_empty_string));
  capabilities.interactive = required(value, "interactive", read_bool);
  capabilities.limits = optional(value, "limits", read_struct<LimitsCapability>);
  capabilities.accelerators = optional(value, "accelerators", read_accelerators).value_or(std::map<std::string, std::string>{});
}

void to_json(json& value, const SandboxCapabilities& capabilities) {
  value = {{"languages", capabilities.languages},
           {"isolation", capabilities.isolation},
           {"workspaceModes", capabilities.workspaceModes},
           {"interactive", capabilities.interactive}};
  put_optional(value, "limits", capabilities.limits);
  if (!capabilities.accelerators.empty()) value["accelerators"] = capabilities.accelerators;
}

void from_json(const json& value, ServerCapabilities& capabilities) {
  expect_object(value);
  capabilities.sandbox = required(value, kSandboxCapability, read_struct<SandboxCapabilities>);
  capabilities.other = value;
  capabilities.other.erase(kSandboxCapability);
}

void to_json(json& value, const ServerCapabilities& capabilities) {
  value = capabilities.other;
  value[kSandboxCapability] = capabilities.sandbox;
}

void from_json(const json& value, InitializeResult& result) {
  expect_object(value);
  result.capabilities = required(value, "capabilities", read_struct<ServerCapabilities>);
  result.serverInfo = required(value, "serverInfo", read_struct<ProgramInfo>);
}

void to_json(json& value, const InitializeResult& result) {
  value = {{"capabilities", result.capabilities}, {"serverInfo", result.serverInfo}};
}

void from_json(const json& value, CancelRequestParams& params) {
  expect_object(value);
  params.id = required(value, "id", read_request_id);
}

void to_json(json& value, const CancelRequestParams& params) { value = {{"id", params.id}}; }

}  // namespace airlock::protocol
