#include "sandbox/linux/linux_backend.h"

#include <mutex>
#include <stdexcept>

#include "sandbox/linux/launch_plan.h"
#include "sandbox/linux/protection_probe.h"
#include "sandbox/linux/sandbox_launcher.h"

namespace airlock::sandbox {
namespace {

void reject_unsupported(const Policy& policy) {
  if (policy.isolation != Isolation::process) {
    throw SandboxUnavailable("the Linux process backend cannot give isolation \"" +
                             std::string(to_string(policy.isolation)) + "\"; use the VM backend");
  }
  if (policy.network == Network::host) {
    throw SandboxUnavailable("network mode host is not implemented yet in the Linux backend; use network none");
  }
}

class LinuxBackend final : public Backend {
 public:
  Isolation isolation() const override { return Isolation::process; }

  std::unique_ptr<Process> start(const LaunchSpec& spec) override {
    reject_unsupported(spec.policy);
    if (spec.steps.empty()) throw std::invalid_argument("a launch spec needs at least one step");
    if (spec.policy.workspace.empty()) throw std::invalid_argument("a launch spec needs a workspace");
    return linux_backend::launch_sandbox(linux_backend::make_launch_plan(spec));
  }

  std::vector<ProtectionReport> probe() const override { return linux_backend::probe_protections(); }

  std::optional<std::string> unavailable_reason() const override {
    std::call_once(probed_, [this] { unavailable_ = linux_backend::try_empty_sandbox(); });
    return unavailable_;
  }

 private:
  mutable std::once_flag probed_;
  mutable std::optional<std::string> unavailable_;
};

}  // namespace

std::unique_ptr<Backend> make_linux_backend() { return std::make_unique<LinuxBackend>(); }

}  // namespace airlock::sandbox
