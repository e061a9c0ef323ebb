#pragma once

// Which folders a run's AppContainer may use, and how: an AppContainer can open nothing on the file system unless
// an ACL names its SID, so each rule becomes an access entry added for the run and removed afterwards.

#include <string>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/windows/windows_path.h"

namespace airlock::sandbox::windows {

struct AccessRule {
  enum class Kind {
    allow_read,        // read and execute, inherited by everything below
    allow_read_write,  // read, write, execute, delete, inherited
    deny_write,        // an explicit deny of every kind of write, inherited; wins over inherited allows
  };
  WindowsPath path;
  Kind kind = Kind::allow_read;
  bool operator==(const AccessRule& other) const { return path.str() == other.path.str() && kind == other.kind; }
};

// Rules for the workspace (per policy), its protected paths that exist (read-only in every mode) and the run's
// scratch folder (snippets and build outputs, read-write). Throws SandboxUnavailable for what process isolation on
// Windows cannot provide yet (workspace "overlay", network "host").
std::vector<AccessRule> workspace_access_rules(const Policy& policy,
                                               const std::vector<std::string>& existing_protected_paths,
                                               const WindowsPath& scratch);

}  // namespace airlock::sandbox::windows
