#pragma once

// How the guest agent mounts a host folder shared over 9p, chosen by the agent's channel (guest_channel_option.h):
// under QEMU a virtio-9p device named by its mount tag; under Hyper-V a Plan9 share that the host serves on vsock
// port kPlan9VsockPort, named by its share name (the 9p aname), over a connection the agent opens itself and hands
// to the kernel as a file descriptor (trans=fd), as hcsshim's guest does.

#include <cstdint>
#include <string>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/guest_channel_option.h"

namespace airlock::sandbox::vm {

// Hyper-V's Plan9 server moves at most this much per message; the socket buffers are sized to match.
inline constexpr int kPlan9VsockMessageBytes = 65536;

// The system folders do not change during a run, so the guest may cache them (much faster start-up of
// interpreters); the workspace is read through so the host's edits and the program's writes stay coherent.
enum class ShareCaching { cached, coherent };

// The source and data of mount(2) for one share.
struct Plan9Mount {
  std::string source;
  std::string options;
  bool operator==(const Plan9Mount&) const = default;
};

// connection_fd: the agent's vsock connection to the Plan9 server (only read under Hyper-V). Throws
// std::invalid_argument for a share name that is empty or would add mount options of its own (a comma), and for
// a vsock channel without a connection.
Plan9Mount plan9_mount(const GuestChannelOption& channel, const GuestShare& share, ShareCaching caching,
                       int connection_fd);

}  // namespace airlock::sandbox::vm
