#pragma once

// What the guest agent of a Hyper-V utility VM is asked to run: the steps, files and limits of the run, and the
// VM's Plan9 shares as its document has them (hcs_document.h): the workspace share, which is the workspace folder
// itself, then each protected folder's read-only share, mounted over its place. Platform-neutral, so it is
// unit-tested on Linux against the document.

#include <chrono>

#include "sandbox/policy.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/windows/hcs_document.h"

namespace airlock::sandbox::windows {

// now: the host's clock, which the guest takes as its own. The run's working folder and every step argument that
// names a path in the workspace as the host does (C:\src\app\main.py) are given as the guest names it
// (/mnt/c/src/app/main.py). Throws std::invalid_argument for a plan without its workspace share first, or a
// workspace that is not an absolute Windows path.
vm::LaunchRequest plan_hyper_v_launch(const LaunchSpec& spec, const UtilityVmPlan& plan,
                                      std::chrono::system_clock::time_point now);

}  // namespace airlock::sandbox::windows
