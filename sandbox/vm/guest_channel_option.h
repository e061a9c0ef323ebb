#pragma once

// Which channel the guest agent speaks on, from the guest kernel's command line: under QEMU the host names a
// virtio-serial port (no option); under Hyper-V it passes "airlock.agent=vsock:PORT" and listens on the HvSocket
// service of that vsock port, which the agent reaches over AF_VSOCK at the host (CID 2).

#include <cstdint>
#include <string_view>

namespace airlock::sandbox::vm {

struct GuestChannelOption {
  enum class Kind { virtio_serial, vsock };
  Kind kind = Kind::virtio_serial;
  std::uint32_t vsock_port = 0;
  bool operator==(const GuestChannelOption&) const = default;
};

// The last "airlock.agent=" word wins, as the kernel's own options do. Throws std::invalid_argument for a value
// that is not "vsock:PORT" with PORT a decimal number below 2^32 - 1 (VMADDR_PORT_ANY): the agent then fails
// loudly instead of waiting on a channel the host does not use.
GuestChannelOption guest_channel_from_command_line(std::string_view command_line);

}  // namespace airlock::sandbox::vm
