#pragma once

// Where a Hyper-V run waits for its guest agent's connection: in the product an HvSocket listener bound to the VM
// (hv_socket_listener.h). The wait can be abandoned at once, for a run killed during its boot or a VM that stopped
// before its agent connected.

#include <windows.h>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sandbox/windows/agent_stream_relay.h"
#include "sandbox/windows/guid_text.h"

namespace airlock::sandbox::windows {

class AgentListener {
 public:
  virtual ~AgentListener() = default;
  // Waits up to timeout_ms for the agent's connection, opened for overlapped I/O; nullopt as soon as one of aborts
  // is signalled. Throws SandboxUnavailable with the cause and the fix when none came in time.
  virtual std::optional<AgentChannel> accept(DWORD timeout_ms, const std::vector<HANDLE>& aborts) = 0;
};

// Makes the listener for the VM with this runtime id, before the VM starts. Throws SandboxUnavailable.
using AgentListenerFactory = std::function<std::unique_ptr<AgentListener>(const GuidFields& vm_id)>;

}  // namespace airlock::sandbox::windows
