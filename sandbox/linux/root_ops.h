#pragma once

// Applying one RootOp inside the sandbox, while the new root is assembled at kNewRoot with the host's root
// reachable at kOldRoot (see root_filesystem.h). Nothing here allocates: paths are joined in fixed buffers.

#include "sandbox/linux/child_failure.h"
#include "sandbox/linux/root_plan.h"

namespace airlock::sandbox::linux_backend {

inline constexpr const char* kNewRoot = "/newroot";
inline constexpr const char* kOldRoot = "/oldroot";

bool apply_root_op(const RootOp& op, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
