#pragma once

// One access entry for a run's AppContainer SID on one folder, inherited by everything below it, and removed again
// when the grant is dropped. An AppContainer can open nothing on the file system that no ACL names it in, so these
// grants are the whole of what a process-isolated run can reach.

#include <windows.h>

#include "sandbox/windows/workspace_access.h"

namespace airlock::sandbox::windows {

class AclGrant {
 public:
  // Adds entry for sid to path's DACL; throws WindowsError naming the folder. sid must outlive the grant.
  AclGrant(const WindowsPath& path, PSID sid, AccessEntry entry);
  AclGrant(AclGrant&& other) noexcept;
  AclGrant& operator=(AclGrant&&) = delete;
  AclGrant(const AclGrant&) = delete;
  AclGrant& operator=(const AclGrant&) = delete;
  // Removes every entry naming the SID from the folder (and, by inheritance, from everything below it).
  ~AclGrant();

 private:
  WindowsPath path_;
  PSID sid_ = nullptr;
};

}  // namespace airlock::sandbox::windows
