#pragma once

// One VM-isolated run on Windows: a Hyper-V utility VM created through the Host Compute Service from the run's
// document (hcs_document.h), the host's HvSocket listener for its guest agent bound to the VM's runtime id before
// the VM starts, the agent's connection accepted with a timeout, and the run relayed over it (agent_stream_relay.h).
// kill() is HcsTerminateComputeSystem: the whole VM ends at once. Every step that fails ends what was made before
// it, in reverse: the VM is terminated and its handle closed, and nothing runs outside the VM.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

#include "sandbox/backend.h"
#include "sandbox/windows/agent_stream_relay.h"
#include "sandbox/windows/compute_core.h"
#include "sandbox/windows/compute_system.h"
#include "sandbox/windows/hcs_document.h"

namespace airlock::sandbox::windows {

struct HyperVSettings {
  GuestImage image;
  HcsTimeouts timeouts;
  DWORD agent_connect_ms = 30'000;  // the guest's boot up to its agent's connection
  unsigned host_processors = 1;
};

class HyperVRun final : public Process {
 public:
  // Throws SandboxUnavailable with the cause and the fix for whatever Hyper-V, HCS or the guest could not do.
  static std::unique_ptr<HyperVRun> start(ComputeCore api, const LaunchSpec& spec, const HyperVSettings& settings);
  ~HyperVRun() override;

  UniqueHandle take_stdin() override { return relay_->take_stdin(); }
  UniqueHandle take_stdout() override { return relay_->take_stdout(); }
  UniqueHandle take_stderr() override { return relay_->take_stderr(); }
  // The Windows backends refuse the overlay workspace.
  UniqueFd take_overlay_layer() override { return {}; }
  HANDLE wait_fd() const override { return relay_->done_event(); }
  std::optional<ExitStatus> poll() override;
  void kill() override;

 private:
  explicit HyperVRun(ComputeCore api) : api_(std::make_unique<const ComputeCore>(std::move(api))) {}
  // Any thread (the relay's once the agent reported, the server's on kill): terminates the VM, bounded.
  void stop_vm();

  std::unique_ptr<const ComputeCore> api_;  // outlives system_, which calls through it
  std::mutex vm_lock_;
  std::optional<ComputeSystem> system_;
  std::atomic<bool> killed_{false};
  std::optional<ExitStatus> status_;
  // Last: destroyed first, so its thread is gone before the VM it stops.
  std::unique_ptr<AgentStreamRelay> relay_;
};

}  // namespace airlock::sandbox::windows
