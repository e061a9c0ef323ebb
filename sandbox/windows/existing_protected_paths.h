#pragma once

// The policy's protected paths that exist in the workspace: only those can be shared or granted on their own.

#include <string>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

// Files and folders alike: each gets its own access rules.
std::vector<std::string> existing_protected_paths(const Policy& policy, const WindowsPath& workspace);

// Only real folders: a Plan9 share is a folder, and a link or junction may lead out of the workspace, which a share
// of it would hand to the VM. Protected files and links stay read-only in a Hyper-V guest by its own bind mounts.
std::vector<std::string> existing_protected_folders(const Policy& policy, const WindowsPath& workspace);

}  // namespace airlock::sandbox::windows
