#include "sandbox/windows/existing_protected_paths.h"

#include <windows.h>

#include "sandbox/windows/utf16.h"

namespace airlock::sandbox::windows {
namespace {

template <typename Wanted>
std::vector<std::string> protected_paths_where(const Policy& policy, const WindowsPath& workspace, Wanted wanted) {
  std::vector<std::string> found;
  for (const std::string& relative : policy.protected_paths) {
    const DWORD attributes = ::GetFileAttributesW(to_utf16(workspace.child(relative).extended()).c_str());
    if (attributes != INVALID_FILE_ATTRIBUTES && wanted(attributes)) found.push_back(relative);
  }
  return found;
}

}  // namespace

std::vector<std::string> existing_protected_paths(const Policy& policy, const WindowsPath& workspace) {
  return protected_paths_where(policy, workspace, [](DWORD) { return true; });
}

std::vector<std::string> existing_protected_folders(const Policy& policy, const WindowsPath& workspace) {
  return protected_paths_where(policy, workspace, [](DWORD attributes) {
    return (attributes & FILE_ATTRIBUTE_DIRECTORY) && !(attributes & FILE_ATTRIBUTE_REPARSE_POINT);
  });
}

}  // namespace airlock::sandbox::windows
