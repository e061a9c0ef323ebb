#pragma once

// The environment every run starts from, before the request's own variables: what programs of this platform
// expect, with home and caches in the sandbox's own folders (named as sandbox/policy.h's kSandbox* paths; a backend
// that keeps them elsewhere maps them).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace airlock::server::platform {

std::vector<std::pair<std::string, std::string>> sandbox_base_environment();

// Whether two environment variable names are the same variable here: byte for byte on POSIX; on Windows ignoring
// case, with the system's own case table (Path is PATH, and so are non-ASCII names that differ only in case).
bool same_variable_name(std::string_view a, std::string_view b);

}  // namespace airlock::server::platform
