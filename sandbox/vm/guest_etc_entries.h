#pragma once

// The guest's generated /etc files (sandbox/etc_files.h) as launch-request entries naming the request's own sandbox
// user. Header-only: both VM hosts send them, QEMU's from Linux and Hyper-V's from Windows.

#include "sandbox/etc_files.h"
#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm {

inline void add_sandbox_etc_entries(LaunchRequest& request) {
  auto& entries = request.entries;
  entries.push_back({.kind = GuestEntry::Kind::directory, .path = "/etc", .mode = 0755});
  entries.push_back({.kind = GuestEntry::Kind::file, .path = "/etc/passwd", .content = sandbox_passwd(request.uid, request.gid)});
  entries.push_back({.kind = GuestEntry::Kind::file, .path = "/etc/group", .content = sandbox_group(request.gid)});
  entries.push_back({.kind = GuestEntry::Kind::file, .path = "/etc/hosts", .content = sandbox_hosts()});
}

}  // namespace airlock::sandbox::vm
