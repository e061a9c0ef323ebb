#pragma once

// Turns a LaunchSpec into what the VM needs: the host folders QEMU shares (read-only system folders and the
// workspace as the policy says) and the agent's launch request (the guest's /etc, snippets, steps, limits,
// the sandbox user). Only what an unprivileged user of this host could read is copied into the guest.

#include <vector>

#include "sandbox/policy.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/qemu_command.h"

namespace airlock::sandbox::vm {

struct GuestPlan {
  std::vector<HostShare> shares;
  LaunchRequest request;
};

// Throws std::invalid_argument when the spec is malformed (a file outside the snippet folder, no steps, ...).
GuestPlan plan_guest(const LaunchSpec& spec);

}  // namespace airlock::sandbox::vm
