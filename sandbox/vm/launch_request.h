#pragma once

// What a VM is given: the host folders QEMU shares, the same for every VM (read-only system folders and the
// VM's staging folder, where a run's workspace appears later), and for each run the agent's launch request (the
// guest's /etc, snippets, steps, limits, the sandbox user, how to mount the workspace). Only what an unprivileged
// user of this host could read is copied into the guest.

#include <filesystem>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/qemu_command.h"

namespace airlock::sandbox::vm {

// Known before any run: a pre-booted VM has them already.
std::vector<HostShare> vm_shares(const std::filesystem::path& staging_root);

// Throws std::invalid_argument when the spec is malformed (a file outside the snippet folder, no steps, ...).
LaunchRequest plan_guest(const LaunchSpec& spec);

}  // namespace airlock::sandbox::vm
