#pragma once

// The policy's protected paths that exist in the workspace: only those can be shared or granted on their own.

#include <string>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

std::vector<std::string> existing_protected_paths(const Policy& policy, const WindowsPath& workspace);

}  // namespace airlock::sandbox::windows
