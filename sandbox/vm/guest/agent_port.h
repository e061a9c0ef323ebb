#pragma once

// The guest's end of the agent channel, as a raw byte stream: the virtio-serial port the host named (QEMU), or a
// vsock connection to the host's HvSocket service (Hyper-V).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/unique_fd.h"
#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm::guest {

class AgentPort {
 public:
  // Finds the port by its name under /sys/class/virtio-ports and opens it. Throws GuestError.
  static AgentPort open_named(const std::string& name);
  // Connects to the host (CID 2) on this vsock port (host_vsock.h). Throws GuestError.
  static AgentPort connect_vsock(std::uint32_t port);

  int fd() const { return fd_.get(); }
  // Blocks until the whole frame is written. Throws GuestError.
  void send(MessageType type, std::string_view payload);
  // Blocks until a frame from the host arrives; nullopt when the host closed the channel.
  // Throws GuestError when the host breaks the protocol.
  std::optional<Frame> receive();
  // Frames already read by the non-blocking pump go through the same decoder.
  FrameDecoder& decoder() { return decoder_; }

 private:
  explicit AgentPort(UniqueFd fd) : fd_(std::move(fd)) {}

  UniqueFd fd_;
  FrameDecoder decoder_{Direction::to_guest};
};

}  // namespace airlock::sandbox::vm::guest
