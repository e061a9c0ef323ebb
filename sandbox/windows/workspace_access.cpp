#include "sandbox/windows/workspace_access.h"

#include <stdexcept>

#include "sandbox/backend.h"

namespace airlock::sandbox::windows {
namespace {

using namespace file_rights;
constexpr std::uint32_t kRead =
    read_data | read_ea | execute | read_attributes | read_control | synchronize;
constexpr std::uint32_t kWrite = write_data | append_data | write_ea | write_attributes | delete_child | delete_object;

}  // namespace

AccessEntry access_entry_for(AccessRule::Kind kind) {
  switch (kind) {
    case AccessRule::Kind::allow_read: return {AccessEntry::Mode::grant, kRead};
    case AccessRule::Kind::allow_read_write: return {AccessEntry::Mode::grant, kRead | kWrite};
    case AccessRule::Kind::deny_write: return {AccessEntry::Mode::deny, kWrite | write_dac | write_owner};
  }
  throw std::invalid_argument("unknown access rule kind");
}

std::vector<AccessRule> workspace_access_rules(const Policy& policy,
                                               const std::vector<std::string>& existing_protected_paths,
                                               const WindowsPath& scratch) {
  if (policy.network != Network::none)
    throw SandboxUnavailable("network \"host\" is not available with isolation \"process\" on Windows yet: its "
                             "AppContainer has no network capability. Use network \"none\".");
  if (policy.workspace_mode == WorkspaceMode::overlay)
    throw SandboxUnavailable("workspace \"overlay\" is not available on Windows yet. Use \"readonly\" or \"readwrite\".");
  const auto workspace = WindowsPath::parse(policy.workspace.string());
  if (!workspace)
    throw SandboxUnavailable("the workspace \"" + policy.workspace.string() +
                             "\" is not an absolute Windows path (C:\\... or \\\\server\\share\\...)");

  const bool writable = policy.workspace_mode == WorkspaceMode::readwrite;
  std::vector<AccessRule> rules{
      {*workspace, writable ? AccessRule::Kind::allow_read_write : AccessRule::Kind::allow_read}};
  if (writable) {
    for (const std::string& relative : existing_protected_paths)
      rules.push_back({workspace->child(relative), AccessRule::Kind::deny_write});
  }
  rules.push_back({scratch, AccessRule::Kind::allow_read_write});
  return rules;
}

}  // namespace airlock::sandbox::windows
