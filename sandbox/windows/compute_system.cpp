#include "sandbox/windows/compute_system.h"

#include <utility>

#include "sandbox/windows/hcs_errors.h"
#include "sandbox/windows/utf16.h"

namespace airlock::sandbox::windows {

ComputeSystem ComputeSystem::create(const ComputeCore& api, const std::string& id, const nlohmann::json& document,
                                    const HcsTimeouts& timeouts, HcsCancellation* cancellation) {
  ComputeSystem system(api, timeouts, cancellation);
  const std::wstring wide_id = to_utf16(id);
  const std::wstring configuration = to_utf16(document.dump());
  system.run("HcsCreateComputeSystem", timeouts.create_ms, [&](HCS_OPERATION operation) {
    return api.create_compute_system(wide_id.c_str(), configuration.c_str(), operation, nullptr, &system.handle_);
  }, cancellation);
  return system;
}

ComputeSystem::ComputeSystem(ComputeSystem&& other) noexcept
    : api_(other.api_),
      timeouts_(other.timeouts_),
      cancellation_(other.cancellation_),
      handle_(std::exchange(other.handle_, nullptr)),
      running_(other.running_.exchange(false)),
      abandoned_(other.abandoned_.exchange(false)) {}

ComputeSystem::~ComputeSystem() {
  // Even after an abandoned operation the VM is asked to end: that is a new, bounded operation of its own.
  if (running_) {
    try {
      terminate();
    } catch (const SandboxUnavailable&) {
      // Reported by terminate's own callers; here only whether the handle may be closed matters.
    }
  }
  if (handle_ && !abandoned_) api_->close_compute_system(handle_);
}

std::string ComputeSystem::run(std::string_view call_name, DWORD timeout_ms,
                               const std::function<HRESULT(HCS_OPERATION)>& call, HcsCancellation* cancellation) {
  try {
    return run_hcs_operation(*api_, call_name, timeout_ms, timeouts_.cancel_grace_ms, call, cancellation);
  } catch (const HcsOperationTimeout& timeout) {
    if (timeout.abandoned()) abandoned_ = true;
    throw;
  }
}

GuidFields ComputeSystem::runtime_id() {
  const std::string properties = run("HcsGetComputeSystemProperties", timeouts_.create_ms, [this](HCS_OPERATION operation) {
    return api_->get_compute_system_properties(handle_, operation, nullptr);
  }, cancellation_);
  const auto document = nlohmann::json::parse(properties, nullptr, false);
  const auto id = document.is_object() && document.contains("RuntimeId") && document["RuntimeId"].is_string()
                      ? parse_guid(document["RuntimeId"].get<std::string>())
                      : std::nullopt;
  if (!id)
    throw SandboxUnavailable("HcsGetComputeSystemProperties gave no RuntimeId for the utility VM, so its guest agent "
                             "cannot be reached. Fix: check that the Hyper-V Host Compute Service runs (Get-Service vmcompute); it "
                             "answered: " +
                             properties.substr(0, 200));
  return *id;
}

void ComputeSystem::start() {
  running_ = true;  // from the call on: a start that timed out may still have started the VM
  run("HcsStartComputeSystem", timeouts_.start_ms,
      [this](HCS_OPERATION operation) { return api_->start_compute_system(handle_, operation, nullptr); },
      cancellation_);
}

void ComputeSystem::terminate() {
  if (!running_.exchange(false)) return;
  run("HcsTerminateComputeSystem", timeouts_.terminate_ms,
      [this](HCS_OPERATION operation) { return api_->terminate_compute_system(handle_, operation, nullptr); }, nullptr);
}

}  // namespace airlock::sandbox::windows
