// Which protected paths a run treats on their own: every existing one gets access rules (AppContainer), only real
// folders get a Plan9 share (Hyper-V).

#include <doctest/doctest.h>

#include <windows.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sandbox/windows/existing_protected_paths.h"
#include "sandbox/windows/utf16.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;

namespace {

// A workspace of its own under the temporary folder, removed with its files at the end.
class Workspace {
 public:
  Workspace() {
    wchar_t temp[MAX_PATH];
    const DWORD length = ::GetTempPathW(MAX_PATH, temp);
    path_ = std::filesystem::path(std::wstring(temp, length)) /
            ("airlock-protected-test-" + std::to_string(::GetCurrentProcessId()));
    std::filesystem::create_directories(path_);
  }
  ~Workspace() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  void add_folder(const char* name) const { std::filesystem::create_directories(path_ / name); }
  void add_file(const char* name) const { std::ofstream(path_ / name) << "protected"; }
  WindowsPath path() const { return *WindowsPath::parse(to_utf8(path_.wstring())); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("windows protected paths: access rules for every existing one, a Plan9 share only for real folders") {
  const Workspace workspace;
  workspace.add_folder(".git");
  workspace.add_folder("sub\\.airlock");
  workspace.add_file(".vscode");
  Policy policy;
  policy.protected_paths = {".git", ".vscode", ".idea", "sub\\.airlock"};

  CHECK(existing_protected_paths(policy, workspace.path()) == std::vector<std::string>{".git", ".vscode", "sub\\.airlock"});
  CHECK(existing_protected_folders(policy, workspace.path()) == std::vector<std::string>{".git", "sub\\.airlock"});
}
