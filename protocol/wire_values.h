#pragma once

// The closed sets of strings the wire allows, in one place for decoding and for advertising them.

#include <array>
#include <string_view>

namespace airlock::protocol {

inline constexpr std::array<std::string_view, 2> kNetworkModes = {"none", "host"};
inline constexpr std::array<std::string_view, 3> kWorkspaceModes = {"readonly", "overlay", "readwrite"};
inline constexpr std::array<std::string_view, 2> kOutputStreams = {"stdout", "stderr"};
inline constexpr std::array<std::string_view, 3> kChangeKinds = {"added", "modified", "deleted"};
// RunResult.limit: which limit ended a run with status "limit".
inline constexpr std::array<std::string_view, 5> kLimitKinds = {"memory", "processes", "output", "disk", "cpu"};

}  // namespace airlock::protocol
