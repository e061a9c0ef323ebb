#pragma once

// The host's end of the guest agent's HvSocket: a listening AF_HYPERV socket bound to one VM (its runtime id) and
// the service GUID of the agent's vsock port, made before the VM starts so the agent finds it when it connects.
// The utility VM's document (hcs_document.h) lets only the server's user bind that service.

#include <windows.h>

#include <cstdint>

#include "sandbox/windows/agent_stream_relay.h"
#include "sandbox/windows/guid_text.h"
#include "sandbox/windows/unique_socket.h"

namespace airlock::sandbox::windows {

class HvSocketListener {
 public:
  // Throws SandboxUnavailable with the cause and the fix when the host has no HvSocket (no Hyper-V, or Wine) or
  // the service cannot be bound.
  static HvSocketListener listen(const GuidFields& vm_id, std::uint32_t vsock_port);

  // Waits up to timeout_ms for the agent's connection, for overlapped I/O. Throws SandboxUnavailable when none
  // came (the guest did not boot, or its agent could not reach the host).
  AgentSocket accept(DWORD timeout_ms);

 private:
  explicit HvSocketListener(UniqueSocket socket) : socket_(std::move(socket)) {}
  UniqueSocket socket_;
};

}  // namespace airlock::sandbox::windows
