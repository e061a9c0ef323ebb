#pragma once

// The guest's file system for one run, built in the initramfs's own root (a tmpfs nobody else sees):
// the host's system folders over 9p (read-only, nosuid), /etc and snippets from the launch request, the workspace
// share as the policy says, a size-limited /tmp, a minimal /dev and /proc. The root is read-only at the end.

#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm::guest {

// Throws GuestError naming the step that failed.
void build_guest_root(const LaunchRequest& request);

}  // namespace airlock::sandbox::vm::guest
