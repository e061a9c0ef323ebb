#include "sandbox/windows/compute_core.h"
#include "sandbox/windows/windows_backends.h"

namespace airlock::sandbox::windows {
namespace {

// On a Windows with the Host Compute Service, what this build still lacks: the utility VM document exists
// (hcs_document.h) but creating and starting it, and reaching the guest agent over HvSocket, do not yet.
constexpr const char* kNotComplete =
    "VM isolation on Windows is not complete in this airlock build: computecore.dll is there, but starting the "
    "run's utility VM and reaching its guest agent over HvSocket are still missing, so nothing is run. Fix: run "
    "airlock on Linux (or in WSL 2) for sandboxed runs until a release notes Hyper-V isolation as complete";

std::optional<std::string> compute_core_missing() {
  try {
    ComputeCore::load();
    return std::nullopt;
  } catch (const SandboxUnavailable& error) {
    return std::string(error.what());
  }
}

class HyperVBackend final : public Backend {
 public:
  Isolation isolation() const override { return Isolation::vm; }

  std::unique_ptr<Process> start(const LaunchSpec&) override {
    throw SandboxUnavailable(*unavailable_reason());
  }

  std::vector<ProtectionReport> probe() const override {
    const auto missing = compute_core_missing();
    return {
        {.name = "Host Compute Service",
         .active = !missing,
         .detail = missing.value_or("computecore.dll has every call a utility VM needs")},
        {.name = "Hyper-V utility VM",
         .active = false,
         .detail = missing ? "needs the Host Compute Service" : kNotComplete},
    };
  }

  std::optional<std::string> unavailable_reason() const override {
    return compute_core_missing().value_or(kNotComplete);
  }
};

}  // namespace

std::unique_ptr<Backend> make_hyper_v_backend() { return std::make_unique<HyperVBackend>(); }

}  // namespace airlock::sandbox::windows
