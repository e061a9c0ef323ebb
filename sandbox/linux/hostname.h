#pragma once

// The sandbox's own uts namespace gets a fixed hostname, so nothing about the host's name leaks in.

#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

inline constexpr const char* kSandboxHostname = "airlock";

bool set_sandbox_hostname(ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
