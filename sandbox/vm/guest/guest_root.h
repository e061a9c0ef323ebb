#pragma once

// The guest's file system for one run, built in the initramfs's own root (a tmpfs nobody else sees):
// the host's system folders over 9p (read-only, nosuid), /etc and snippets from the launch request, the workspace
// share as the policy says (an overlayfs over it for overlay runs), a size-limited /tmp, a minimal /dev and /proc. The root is read-only at the end.

#include "sandbox/unique_fd.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/guest_channel_option.h"

namespace airlock::sandbox::vm::guest {

struct GuestRoot {
  // An overlay run's upper folder (on a tmpfs of the run's disk size that the program cannot reach), for
  // sending the layer to the host once the program has ended. Invalid in other modes.
  UniqueFd overlay_upper;
};

// The channel picks how the host's shares are reached (share_mount.h). Throws GuestError naming the step that failed.
GuestRoot build_guest_root(const LaunchRequest& request, const GuestChannelOption& channel);

}  // namespace airlock::sandbox::vm::guest
