#include "sandbox/windows/compute_core.h"
#include "sandbox/windows/windows_backends.h"

namespace airlock::sandbox::windows {
namespace {

// On a Windows with the Host Compute Service, what this build still lacks: the utility VM's document
// (hcs_document.h) and its bounded create/start/terminate (compute_system.h) exist, but the guest agent is not yet
// reached over HvSocket (the agent relay speaks POSIX descriptors only) and no guest image is installed beside
// airlock.exe, so a started VM could run nothing.
constexpr const char* kNotComplete =
    "VM isolation on Windows is not complete in this airlock build: computecore.dll is there, but reaching the "
    "utility VM's guest agent over HvSocket and a guest image for Windows hosts are still missing, so nothing is "
    "run. Fix: use isolation \"process\" (an AppContainer), or run airlock on Linux (or in WSL 2), until a release "
    "notes Hyper-V isolation as complete";

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
