#pragma once

// Mounts one 9p share of the host in the guest, over the transport of the agent's channel (plan9_mount.h): a
// virtio-9p device under QEMU, a vsock connection to Hyper-V's Plan9 server otherwise. The connection's descriptor
// is closed once the mount holds it (the kernel keeps its own reference).

#include <string>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/guest_channel_option.h"
#include "sandbox/vm/plan9_mount.h"

namespace airlock::sandbox::vm::guest {

// Throws GuestError naming the call that failed and what it was doing, and std::invalid_argument for a share
// name plan9_mount() refuses.
void mount_share(const GuestChannelOption& channel, const GuestShare& share, const std::string& target,
                 unsigned long flags, ShareCaching caching, const std::string& doing);

}  // namespace airlock::sandbox::vm::guest
