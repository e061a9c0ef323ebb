#pragma once

// A run's utility VM as a Host Compute Service compute system: created from its document, started, terminated, and
// its handle closed — every step a bounded operation (hcs_operation.h). The document asks HCS to terminate the VM
// when its last handle closes, so a server that dies takes its VMs with it.

#include <windows.h>

#include <computecore.h>

#include <atomic>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/windows/compute_core.h"
#include "sandbox/windows/guid_text.h"
#include "sandbox/windows/hcs_operation.h"

namespace airlock::sandbox::windows {

class ComputeSystem {
 public:
  // HcsCreateComputeSystem with the document; throws as run_hcs_operation does. api must outlive the system, and
  // cancellation (optional) too: it cancels the create, runtime_id() and start(), never terminate().
  static ComputeSystem create(const ComputeCore& api, const std::string& id, const nlohmann::json& document,
                              const HcsTimeouts& timeouts, HcsCancellation* cancellation = nullptr);
  ComputeSystem(ComputeSystem&& other) noexcept;
  ComputeSystem& operator=(ComputeSystem&&) = delete;
  ComputeSystem(const ComputeSystem&) = delete;
  ComputeSystem& operator=(const ComputeSystem&) = delete;
  // Terminates a system that was started and not terminated (bounded, also after an abandoned operation), then
  // closes the handle — unless an operation on it was abandoned: that handle stays open rather than be closed
  // under HCS.
  ~ComputeSystem();

  // The VM's runtime id (HcsGetComputeSystemProperties' "RuntimeId"): the VmId its HvSocket services are bound
  // to. Throws as run_hcs_operation does, and SandboxUnavailable when HCS answers without a valid id.
  GuidFields runtime_id();
  void start();
  // Ends the VM at once (cancel, timeout, the run's end). Idempotent; throws as run_hcs_operation does. May run on
  // another thread while start() waits (a kill during boot): HCS then fails the start.
  void terminate();

 private:
  ComputeSystem(const ComputeCore& api, const HcsTimeouts& timeouts, HcsCancellation* cancellation)
      : api_(&api), timeouts_(timeouts), cancellation_(cancellation) {}
  std::string run(std::string_view call_name, DWORD timeout_ms, const std::function<HRESULT(HCS_OPERATION)>& call,
                  HcsCancellation* cancellation);

  const ComputeCore* api_;
  HcsTimeouts timeouts_;
  HcsCancellation* cancellation_;
  HCS_SYSTEM handle_ = nullptr;
  std::atomic<bool> running_{false};
  std::atomic<bool> abandoned_{false};
};

}  // namespace airlock::sandbox::windows
