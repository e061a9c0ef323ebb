#pragma once

// Building the sandbox's root, in bubblewrap's order: make the inherited mounts private, pivot into a small
// staging tmpfs with the host's root moved to kOldRoot, assemble the new root at kNewRoot from the planned
// operations, then pivot into it and detach the host's root, so nothing of the host stays reachable.

#include <vector>

#include "sandbox/linux/child_failure.h"
#include "sandbox/linux/root_plan.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {

// `layer` receives the overlay layer of an overlay workspace (overlay_mount.h); it stays empty otherwise.
bool build_root_filesystem(const std::vector<RootOp>& ops, UniqueFd& layer, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
