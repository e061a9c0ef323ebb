#pragma once

// The sandbox's own uts namespace gets the fixed hostname of sandbox/etc_files.h.

#include "sandbox/etc_files.h"
#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

bool set_sandbox_hostname(ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
