#pragma once

// window/logMessage: a line for the client's output log.

#include <string>

#include "protocol/json.h"

namespace airlock::protocol {

inline constexpr int kMessageTypeError = 1;
inline constexpr int kMessageTypeWarning = 2;
inline constexpr int kMessageTypeInfo = 3;
inline constexpr int kMessageTypeLog = 4;

struct LogMessageParams {
  int type = kMessageTypeInfo;  // 1..4
  std::string message;

  bool operator==(const LogMessageParams&) const = default;
};
void from_json(const json& value, LogMessageParams& params);
void to_json(json& value, const LogMessageParams& params);

}  // namespace airlock::protocol
