#pragma once

// Starting one sandbox from a launch plan: the pipes, the clone, the id maps written from outside, the go
// signal, and the wait for the init's ready report.

#include <memory>

#include "sandbox/linux/launch_plan.h"
#include "sandbox/linux/linux_process.h"

namespace airlock::sandbox::linux_backend {

// Throws SandboxUnavailable when the sandbox cannot be created or set up; nothing of it is left then.
std::unique_ptr<LinuxProcess> launch_sandbox(const LaunchPlan& plan);

}  // namespace airlock::sandbox::linux_backend
