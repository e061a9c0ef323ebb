#pragma once

// Who the code in the sandbox is. The sandbox user is never uid 0: when the server is unprivileged it is the
// server's own uid (the only one it may map); when the server is root it is the owner of the workspace, or
// nobody when root owns the workspace, so root-owned files stay out of reach.
// The outside half (choose, write the maps) runs in the server; the inside half (become) in the sandbox.

#include <sys/types.h>

#include <filesystem>

#include "sandbox/etc_files.h"
#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

inline constexpr uid_t kNobodyUid = kNobodyId;
inline constexpr gid_t kNobodyGid = kNobodyId;

struct SandboxIdentity {
  uid_t uid = kNobodyUid;
  gid_t gid = kNobodyGid;
  // The server may map ids other than its own (it is root): it then also drops its supplementary groups in the
  // sandbox. An unprivileged server must deny setgroups, so its groups stay (they are the user's own anyway).
  bool server_is_privileged = false;
};

// An empty workspace (a probe) counts as root-owned.
SandboxIdentity choose_sandbox_identity(const std::filesystem::path& workspace);

// Outside: writes /proc/<child>/{setgroups,uid_map,gid_map}. Throws SandboxUnavailable.
void write_id_maps(pid_t child, const SandboxIdentity& identity);

// Inside, right after the maps are written: drops supplementary groups (when allowed) and switches every uid and
// gid to the sandbox user. The namespace's capabilities survive, since uid 0 is not mapped in it.
bool become_sandbox_user(const SandboxIdentity& identity, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
