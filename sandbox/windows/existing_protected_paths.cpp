#include "sandbox/windows/existing_protected_paths.h"

#include <windows.h>

#include "sandbox/windows/utf16.h"

namespace airlock::sandbox::windows {

std::vector<std::string> existing_protected_paths(const Policy& policy, const WindowsPath& workspace) {
  std::vector<std::string> existing;
  for (const std::string& relative : policy.protected_paths)
    if (::GetFileAttributesW(to_utf16(workspace.child(relative).extended()).c_str()) != INVALID_FILE_ATTRIBUTES)
      existing.push_back(relative);
  return existing;
}

}  // namespace airlock::sandbox::windows
