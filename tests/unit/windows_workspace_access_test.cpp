#include <doctest/doctest.h>

#include "sandbox/backend.h"
#include "sandbox/windows/workspace_access.h"

using airlock::sandbox::Network;
using airlock::sandbox::Policy;
using airlock::sandbox::SandboxUnavailable;
using airlock::sandbox::WorkspaceMode;
using namespace airlock::sandbox::windows;
using Kind = AccessRule::Kind;

namespace {
WindowsPath path(const char* text) { return *WindowsPath::parse(text); }
Policy policy(WorkspaceMode mode) {
  Policy p;
  p.workspace = "D:\\work\\proj";
  p.workspace_mode = mode;
  return p;
}
const WindowsPath kScratch = path("C:\\Users\\me\\AppData\\Local\\Temp\\airlock-run-1");
}  // namespace

TEST_CASE("windows workspace access: read-only workspace, writable scratch folder") {
  CHECK(workspace_access_rules(policy(WorkspaceMode::readonly), {".git"}, kScratch) ==
        std::vector<AccessRule>{{path("D:\\work\\proj"), Kind::allow_read}, {kScratch, Kind::allow_read_write}});
}

TEST_CASE("windows workspace access: read-write workspace denies writes to its protected folders") {
  CHECK(workspace_access_rules(policy(WorkspaceMode::readwrite), {".git", ".vscode"}, kScratch) ==
        std::vector<AccessRule>{{path("D:\\work\\proj"), Kind::allow_read_write},
                                {path("D:\\work\\proj\\.git"), Kind::deny_write},
                                {path("D:\\work\\proj\\.vscode"), Kind::deny_write},
                                {kScratch, Kind::allow_read_write}});
}

TEST_CASE("windows workspace access: what process isolation cannot provide is refused") {
  CHECK_THROWS_AS(workspace_access_rules(policy(WorkspaceMode::overlay), {}, kScratch), SandboxUnavailable);
  Policy networked = policy(WorkspaceMode::readonly);
  networked.network = Network::host;
  CHECK_THROWS_AS(workspace_access_rules(networked, {}, kScratch), SandboxUnavailable);
  Policy relative = policy(WorkspaceMode::readonly);
  relative.workspace = "proj";
  CHECK_THROWS_AS(workspace_access_rules(relative, {}, kScratch), SandboxUnavailable);
}
