#pragma once

// The sandbox's root filesystem as a list of typed operations, computed in the server from the launch spec and
// the host's layout, then applied in order inside the sandbox by apply_root_op (root_ops.h). Paths are as the
// program sees them; sources are host paths.

#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/linux/sandbox_identity.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

enum class BindAccess {
  read_only,  // ro, nosuid, nodev
  writable,   // nosuid, nodev
  device,     // a device node: nosuid, noexec
};

enum class RootOpKind {
  make_dir,       // target and missing parents, with mode
  make_symlink,   // target -> data
  write_file,     // target with content data and mode
  bind,           // host source onto target, with access; the mount point is created to match the source
  mount_tmpfs,    // tmpfs with mount options data, nosuid and nodev
  mount_proc,     // a proc of the sandbox's pid namespace
  protect,        // data (relative to target, symlinks resolved only beneath target) bound read-only over itself
  make_readonly,  // the mount at target, not its submounts
  mount_overlay,  // an overlay over the host folder source at target, its layer on a tmpfs with options data
  mount_readonly_view,  // the host folder source at target as a read-only overlay (no host unix sockets)
};

struct RootOp {
  RootOpKind kind;
  std::string target;
  std::string source;  // bind only
  std::string data;    // see RootOpKind
  mode_t mode = 0755;
  BindAccess access = BindAccess::read_only;
  bool skip_if_missing = false;  // bind: the host may lack the source
};

// Throws std::invalid_argument for a path in the spec that cannot be placed (relative, "..", too long).
// mounts_below_workspace: the host's mount points inside the workspace, which an overlay cannot cover.
std::vector<RootOp> plan_root_filesystem(const LaunchSpec& spec, const SandboxIdentity& identity,
                                         const std::vector<std::string>& mounts_below_workspace);

}  // namespace airlock::sandbox::linux_backend
