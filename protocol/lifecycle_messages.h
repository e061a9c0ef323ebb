#pragma once

// initialize: what the client says about itself and what this server can do.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "protocol/execute_messages.h"
#include "protocol/json.h"

namespace airlock::protocol {

// clientInfo / serverInfo
struct ProgramInfo {
  std::string name;
  std::optional<std::string> version;

  bool operator==(const ProgramInfo&) const = default;
};
void from_json(const json& value, ProgramInfo& info);
void to_json(json& value, const ProgramInfo& info);

struct InitializeParams {
  std::optional<std::int64_t> processId;  // null: no parent process to watch
  std::optional<std::string> rootUri;
  std::optional<ProgramInfo> clientInfo;
  json capabilities = json::object();

  bool operator==(const InitializeParams&) const = default;
};
void from_json(const json& value, InitializeParams& params);
void to_json(json& value, const InitializeParams& params);

// The limits a run gets when it asks for none, and the most it may ask for.
struct LimitsCapability {
  ExecuteLimits defaults;
  ExecuteLimits maximums;

  bool operator==(const LimitsCapability&) const = default;
};
void from_json(const json& value, LimitsCapability& limits);
void to_json(json& value, const LimitsCapability& limits);

struct SandboxCapabilities {
  std::vector<std::string> languages;       // accepted by ExecuteParams::language
  std::vector<std::string> isolation;       // available on this host, e.g. {"process"}
  std::vector<std::string> workspaceModes;  // e.g. {"readonly", "overlay", "readwrite"}
  bool interactive = false;
  std::optional<LimitsCapability> limits;
  // Per isolation level, what executes the code where the server chooses, e.g. {"vm": "tcg"}; omitted when empty.
  std::map<std::string, std::string> accelerators;

  bool operator==(const SandboxCapabilities&) const = default;
};
void from_json(const json& value, SandboxCapabilities& capabilities);
void to_json(json& value, const SandboxCapabilities& capabilities);

struct ServerCapabilities {
  SandboxCapabilities sandbox;
  // Any other capability members (an object), sent as they are next to "sandbox".
  json other = json::object();

  bool operator==(const ServerCapabilities&) const = default;
};
void from_json(const json& value, ServerCapabilities& capabilities);
void to_json(json& value, const ServerCapabilities& capabilities);

struct InitializeResult {
  ServerCapabilities capabilities;
  ProgramInfo serverInfo;

  bool operator==(const InitializeResult&) const = default;
};
void from_json(const json& value, InitializeResult& result);
void to_json(json& value, const InitializeResult& result);

// $/cancelRequest
struct CancelRequestParams {
  json id;  // integer or string, the id of the request to cancel

  bool operator==(const CancelRequestParams&) const = default;
};
void from_json(const json& value, CancelRequestParams& params);
void to_json(json& value, const CancelRequestParams& params);

}  // namespace airlock::protocol
