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

TEST_CASE("windows workspace access: each rule becomes one inherited entry with exactly its rights") {
  using namespace file_rights;
  const AccessEntry read = access_entry_for(Kind::allow_read);
  CHECK(read.mode == AccessEntry::Mode::grant);
  CHECK(read.rights == 0x001200A9);  // FILE_GENERIC_READ | FILE_GENERIC_EXECUTE
  const AccessEntry read_write = access_entry_for(Kind::allow_read_write);
  CHECK(read_write.mode == AccessEntry::Mode::grant);
  CHECK(read_write.rights == (0x001200A9 | 0x00010156));  // ... | FILE_GENERIC_WRITE's data rights | DELETE | delete child
  // A read-write grant never lets the sandbox rewrite the folder's permissions or take it over.
  CHECK((read_write.rights & (write_dac | write_owner)) == 0);

  const AccessEntry deny = access_entry_for(Kind::deny_write);
  CHECK(deny.mode == AccessEntry::Mode::deny);
  CHECK((deny.rights & (write_data | append_data | write_ea | write_attributes | delete_child | delete_object |
                        write_dac | write_owner)) == deny.rights);
  CHECK((deny.rights & read_write.rights & ~read.rights) == (read_write.rights & ~read.rights));
  // Denying READ_CONTROL or SYNCHRONIZE would break reading the protected folder too.
  CHECK((deny.rights & (read_control | synchronize | read_data | execute)) == 0);
}
