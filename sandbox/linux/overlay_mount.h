#pragma once

// Inside the sandbox's init, while the root is assembled (root_filesystem.h): the workspace of an overlay run
// becomes an overlayfs whose lower layer is the host's workspace and whose writable layer lives on a tmpfs of
// its own, limited to the run's disk budget. That tmpfs is mounted only in the staging root, so the program
// never sees the layer directly, and it disappears with the sandbox's mount namespace unless the server holds
// the descriptor of the layer that this step opens (overlay_handover.h).

#include "sandbox/linux/child_failure.h"
#include "sandbox/linux/root_plan.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {

// op is a RootOpKind::mount_overlay: target is the workspace (host path = sandbox path), data the tmpfs options.
// On success `layer` holds an O_DIRECTORY descriptor of the layer's upper folder.
bool mount_overlay_workspace(const RootOp& op, UniqueFd& layer, ChildFailure& failure);

// op is a RootOpKind::mount_readonly_view: the workspace as a read-only overlay with no writable layer. Unlike a
// read-only bind mount, it does not carry the host's unix sockets along: connect() to a socket file in it fails.
bool mount_readonly_workspace_view(const RootOp& op, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
