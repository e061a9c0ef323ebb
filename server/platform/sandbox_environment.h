#pragma once

// The environment every run starts from, before the request's own variables: what programs of this platform
// expect, with home and caches in the sandbox's own folders (named as sandbox/policy.h's kSandbox* paths; a backend
// that keeps them elsewhere maps them).

#include <string>
#include <utility>
#include <vector>

namespace airlock::server::platform {

std::vector<std::pair<std::string, std::string>> sandbox_base_environment();

}  // namespace airlock::server::platform
