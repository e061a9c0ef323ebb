#pragma once

// Reviewing an overlay run's writes: apply them to the real workspace, or discard them.

#include <optional>
#include <string>
#include <vector>

#include "protocol/json.h"

namespace airlock::protocol {

// sandbox/applyChanges
struct ApplyChangesParams {
  std::string runId;
  std::optional<std::vector<std::string>> paths;  // relative paths; absent: every change of the run

  bool operator==(const ApplyChangesParams&) const = default;
};
void from_json(const json& value, ApplyChangesParams& params);
void to_json(json& value, const ApplyChangesParams& params);

struct ApplyChangesResult {
  std::vector<std::string> applied;
  std::vector<std::string> conflicts;  // host file changed since the run started; left untouched

  bool operator==(const ApplyChangesResult&) const = default;
};
void from_json(const json& value, ApplyChangesResult& result);
void to_json(json& value, const ApplyChangesResult& result);

// sandbox/discardChanges (result null)
struct DiscardChangesParams {
  std::string runId;

  bool operator==(const DiscardChangesParams&) const = default;
};
void from_json(const json& value, DiscardChangesParams& params);
void to_json(json& value, const DiscardChangesParams& params);

}  // namespace airlock::protocol
