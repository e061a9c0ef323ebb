#pragma once

// Per-process limits set right before exec. Soft and hard limits are equal, so the program cannot raise them;
// only the CPU limit keeps one second between them: SIGXCPU at the soft limit tells the run ended on its CPU
// budget, SIGKILL at the hard limit ends a program that ignores SIGXCPU.

#include "sandbox/linux/child_failure.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

bool apply_resource_limits(const Limits& limits, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
