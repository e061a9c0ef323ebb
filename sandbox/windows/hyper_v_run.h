#pragma once

// One VM-isolated run on Windows: a Hyper-V utility VM created through the Host Compute Service from the run's
// document (hcs_document.h), the host's HvSocket listener for its guest agent bound to the VM's runtime id before
// the VM starts, the agent's connection accepted with a timeout, and the run relayed over it (agent_stream_relay.h).
//
// start() returns once the run is planned and its pipes exist; the VM boots on the run's own thread, so a kill()
// during the boot is served at once: the pending HCS operation is cancelled, the VM terminated, the wait for the
// agent abandoned, and every handle closed only after its operation finished. The guest's serial console is read
// while the VM runs (guest_console.h): a guest that stops or never connects is reported with its last output.
// kill() is HcsTerminateComputeSystem: the whole VM ends at once. Nothing ever runs outside the VM.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/windows/agent_listener.h"
#include "sandbox/windows/agent_stream_relay.h"
#include "sandbox/windows/compute_core.h"
#include "sandbox/windows/compute_system.h"
#include "sandbox/windows/guest_console.h"
#include "sandbox/windows/hcs_document.h"
#include "sandbox/windows/hv_socket_listener.h"

namespace airlock::sandbox::windows {

struct HyperVSettings {
  GuestImage image;
  HcsTimeouts timeouts;
  DWORD agent_connect_ms = 30'000;  // the guest's boot up to its agent's connection
  unsigned host_processors = 1;
  // Where the agent's connection is awaited: the VM's HvSocket service. The fake-HCS tests, under Wine (no
  // AF_HYPERV), wait on a named pipe instead.
  AgentListenerFactory listen_for_agent = [](const GuidFields& vm_id) -> std::unique_ptr<AgentListener> {
    return HvSocketListener::listen(vm_id, kAgentVsockPort);
  };
};

class HyperVRun final : public Process {
 public:
  // Throws SandboxUnavailable with the cause and the fix for what is wrong before any VM exists (the workspace, the
  // policy); what goes wrong while the VM is made and boots ends the run with setup_failed and that message.
  static std::unique_ptr<HyperVRun> start(ComputeCore api, const LaunchSpec& spec, const HyperVSettings& settings);
  ~HyperVRun() override;

  UniqueHandle take_stdin() override { return std::move(stdin_server_); }
  UniqueHandle take_stdout() override { return std::move(stdout_server_); }
  UniqueHandle take_stderr() override { return std::move(stderr_server_); }
  // The Windows backends refuse the overlay workspace.
  UniqueFd take_overlay_layer() override { return {}; }
  HANDLE wait_fd() const override { return ended_.get(); }
  std::optional<ExitStatus> poll() override;
  void kill() override;

 private:
  HyperVRun(ComputeCore api, const HyperVSettings& settings);
  // The run's thread: makes and boots the VM, relays the run, and signals ended_ when either is over.
  void run();
  // Up to the agent's connection; throws SandboxUnavailable for whatever failed or the kill that stopped it.
  AgentChannel boot();
  // Why the boot failed, with what the guest's console said last.
  std::string boot_failure(const std::string& cause) const;
  // Any thread (the relay's once the agent reported, the server's on kill): terminates the VM, bounded.
  void stop_vm();

  std::unique_ptr<const ComputeCore> api_;  // outlives system_, which calls through it
  HyperVSettings settings_;
  std::string vm_name_;
  LaunchSpec spec_;
  UtilityVmPlan plan_;
  // The server's ends, apart from the relay's, which the run's thread hands to the relay or closes.
  UniqueHandle stdin_server_;
  UniqueHandle stdout_server_;
  UniqueHandle stderr_server_;
  RelayPipes relay_pipes_;
  UniqueHandle ended_;      // manual reset: the boot failed, or the relay finished
  UniqueHandle abort_boot_;  // manual reset: kill() or the end of the run object
  UniqueHandle shutdown_;    // manual reset: the end of the run object; the run's thread stops waiting
  HcsCancellation cancellation_;
  std::mutex vm_lock_;
  std::optional<ComputeSystem> system_;
  std::vector<WindowsPath> granted_files_;  // the image files the VM was let read, to take back at the end
  std::optional<GuestConsole> console_;
  std::atomic<bool> killed_{false};
  std::atomic<bool> boot_over_{false};  // relay_ or boot_failure_ is set, and stays as it is
  std::string boot_failure_;
  std::optional<ExitStatus> status_;
  std::unique_ptr<AgentStreamRelay> relay_;
  // Last: joined first.
  std::thread thread_;
};

}  // namespace airlock::sandbox::windows
