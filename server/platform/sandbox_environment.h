#pragma once

// The environment every run starts from, before the request's own variables: what programs of this platform
// expect, with home and caches in the sandbox's own folders (named as sandbox/policy.h's kSandbox* paths; a backend
// that keeps them elsewhere maps them).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sandbox/policy.h"
#include "server/environment_merge.h"

namespace airlock::server::platform {

// isolation: what runs the code; on Windows, "vm" is a Linux guest, which gets Linux's environment.
std::vector<std::pair<std::string, std::string>> sandbox_base_environment(sandbox::Isolation isolation);

// Whether two environment variable names are the same variable here: byte for byte on POSIX; on Windows ignoring
// case, with the system's own case table (Path is PATH, and so are non-ASCII names that differ only in case).
bool same_variable_name(std::string_view a, std::string_view b);

// How the run's variable names compare: this platform's way, or byte for byte for a Linux guest on Windows.
SameVariableName variable_name_comparison(sandbox::Isolation isolation);

}  // namespace airlock::server::platform
