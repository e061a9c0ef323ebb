#pragma once

// The host's end of the guest agent's HvSocket: a listening AF_HYPERV socket bound to one VM (its runtime id) and
// the service GUID of the agent's vsock port, made before the VM starts so the agent finds it when it connects.
// The utility VM's document (hcs_document.h) lets only the server's user bind that service.

#include <windows.h>

#include <cstdint>
#include <memory>

#include "sandbox/windows/agent_listener.h"
#include "sandbox/windows/agent_stream_relay.h"
#include "sandbox/windows/guid_text.h"
#include "sandbox/windows/unique_socket.h"

namespace airlock::sandbox::windows {

class HvSocketListener final : public AgentListener {
 public:
  // Throws SandboxUnavailable with the cause and the fix when the host has no HvSocket (no Hyper-V, or Wine) or
  // the service cannot be bound.
  static std::unique_ptr<HvSocketListener> listen(const GuidFields& vm_id, std::uint32_t vsock_port);

  // SandboxUnavailable when no connection came: the guest did not boot, or its agent could not reach the host.
  std::optional<AgentChannel> accept(DWORD timeout_ms, const std::vector<HANDLE>& aborts) override;

 private:
  HvSocketListener(UniqueSocket socket, UniqueHandle accept_ready)
      : socket_(std::move(socket)), accept_ready_(std::move(accept_ready)) {}
  UniqueSocket socket_;
  UniqueHandle accept_ready_;  // signalled by Winsock when a connection waits (WSAEventSelect FD_ACCEPT)
};

}  // namespace airlock::sandbox::windows
