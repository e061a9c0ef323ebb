#include "sandbox/vm/vm_backend.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "sandbox/linux/coarse_clock.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/blank_vm.h"
#include "sandbox/vm/kvm_probe.h"
#include "sandbox/vm/launch_request.h"
#include "sandbox/vm/layer_folder.h"
#include "sandbox/vm/vm_image.h"
#include "sandbox/vm/vm_pool.h"
#include "sandbox/vm/vm_process.h"

namespace airlock::sandbox {
namespace {

using namespace vm;

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Pipe make_pipe(const char* what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw SandboxUnavailable(std::string("starting the VM: pipe for ") + what + " failed: " + std::strerror(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

void reject_unsupported(const Policy& policy) {
  if (policy.isolation != Isolation::vm)
    throw SandboxUnavailable("the VM backend gives isolation \"vm\", not \"" + std::string(to_string(policy.isolation)) + "\"");
  if (policy.network == Network::host)
    throw SandboxUnavailable("network \"host\" is not available with isolation \"vm\": its VMs have no network device");
}

ProtectionReport system_report(const VmImage& image) {
  if (image.system_disk.empty())
    return {"guest system", true, "the host's system folders, shared read-only over 9p"};
  return {"guest system", true, "the system disk " + image.system_disk.string() + " (AIRLOCK_VM_SYSTEM_DISK), attached read-only"};
}

std::size_t default_pool_size(Accelerator accelerator) { return accelerator == Accelerator::kvm ? 1 : 0; }

class VmBackend final : public Backend {
 public:
  Isolation isolation() const override { return Isolation::vm; }

  std::unique_ptr<Process> start(const LaunchSpec& spec) override {
    reject_unsupported(spec.policy);
    const VmImage image = image_or_throw();
    const LaunchRequest request = plan_guest(spec, system_source(image));
    const VmShape shape = shape_for(spec.policy.limits, accelerator(image).accelerator);
    std::optional<BlankVm> vm = pool_ ? pool_->take(shape) : std::nullopt;
    const bool prebooted = vm.has_value();
    if (!vm) vm.emplace(BlankVm::boot(image, shape));
    vm->attach_workspace(spec.policy);
    UniqueFd layer;
    if (spec.policy.workspace_mode == WorkspaceMode::overlay) layer = make_layer_folder(spec.policy.limits.disk_bytes);

    Pipe stdin_pipe = make_pipe("stdin");
    Pipe stdout_pipe = make_pipe("stdout");
    Pipe stderr_pipe = make_pipe("stderr");
    // The guest starts the steps once the launch request arrives, which VmProcess sends.
    if (spec.steps_wait_for_clock &&
        !linux_backend::wait_for_coarse_clock(*spec.steps_wait_for_clock, linux_backend::kCoarseClockPatience)) {
      throw SandboxUnavailable(linux_backend::kCoarseClockLate);
    }
    return std::make_unique<VmProcess>(
        std::move(*vm), prebooted,
        ProgramPipes{.stdin_write = std::move(stdin_pipe.write), .stdout_read = std::move(stdout_pipe.read),
                     .stderr_read = std::move(stderr_pipe.read)},
        RelayEnds{.stdin_read = std::move(stdin_pipe.read), .stdout_write = std::move(stdout_pipe.write),
                  .stderr_write = std::move(stderr_pipe.write)},
        encode_launch(request), std::move(layer));
  }

  std::vector<ProtectionReport> probe() const override {
    const auto found = find_vm_image();
    if (const auto* reason = std::get_if<std::string>(&found)) return {{"vm image", false, *reason}};
    const VmImage& image = std::get<VmImage>(found);
    const AcceleratorChoice& choice = accelerator(image);
    return {
        {"vm image", true, "guest kernel " + image.guest_release + " from " + image.kernel.parent_path().string()},
        {"accelerator: " + std::string(to_string(choice.accelerator)), choice.accelerator == Accelerator::kvm, choice.detail},
        {"own kernel", true, "each run boots its own guest kernel under QEMU's microvm machine"},
        system_report(image),
        {"no network device", true, "QEMU runs with -nodefaults -nic none"},
        {"qemu seccomp", true, "QEMU's -sandbox: no exec, no setuid, no obsolete calls, no resource changes"},
        {"qemu namespaces", true, "QEMU runs in user, mount and network namespaces of its own (no network)"},
        pool_report(choice.accelerator),
    };
  }

  void keep_warm(const WarmPoolSettings& settings) override {
    if (pool_ || std::holds_alternative<std::string>(find_vm_image())) return;
    pool_settings_ = settings;
    pool_.emplace([this] { return pool_size(); }, [this] { return boot_pooled(); });
  }

  std::optional<std::string> unavailable_reason() const override {
    const auto found = find_vm_image();
    if (const auto* reason = std::get_if<std::string>(&found)) return *reason;
    return std::nullopt;
  }

  std::optional<std::string> accelerator() const override {
    const auto found = find_vm_image();
    if (std::holds_alternative<std::string>(found)) return std::nullopt;
    return to_string(accelerator(std::get<VmImage>(found)).accelerator);
  }

 private:
  static VmImage image_or_throw() {
    auto found = find_vm_image();
    if (auto* reason = std::get_if<std::string>(&found)) throw SandboxUnavailable(*reason);
    return std::get<VmImage>(std::move(found));
  }

  const AcceleratorChoice& accelerator(const VmImage& image) const {
    std::call_once(accelerator_chosen_, [&] { accelerator_ = choose_accelerator(image); });
    return accelerator_;
  }

  // On the pool's thread.
  std::size_t pool_size() const {
    const Accelerator chosen = accelerator(image_or_throw()).accelerator;
    return pool_settings_.size ? static_cast<std::size_t>(*pool_settings_.size) : default_pool_size(chosen);
  }

  BlankVm boot_pooled() const {
    const VmImage image = image_or_throw();
    return BlankVm::boot(image, shape_for(pool_settings_.limits, accelerator(image).accelerator));
  }

  ProtectionReport pool_report(Accelerator chosen) const {
    const std::size_t size = pool_settings_.size ? static_cast<std::size_t>(*pool_settings_.size) : default_pool_size(chosen);
    const VmShape shape = shape_for(pool_settings_.limits, chosen);
    std::string detail = std::to_string(size) + " pre-booted VM(s) of " + std::to_string(shape.memory_mib) + " MiB and " +
                         std::to_string(shape.vcpus) + " vCPU(s), each used by one run and replaced at once; " +
                         (pool_settings_.size ? "set by vmPoolSize in the server config"
                                             : "default for " + std::string(to_string(chosen)) +
                                                   " (kvm: 1, tcg: 0); set vmPoolSize in the server config");
    if (pool_) {
      const VmPool::State state = pool_->state();
      detail += "; " + std::to_string(state.waiting) + " waiting now";
      if (!state.failure.empty()) detail += "; stopped booting: " + state.failure;
    }
    return {"warm pool", size > 0, detail};
  }

  WarmPoolSettings pool_settings_;
  mutable std::once_flag accelerator_chosen_;
  mutable AcceleratorChoice accelerator_;
  // Last: its thread uses the members above, and it outlives every run this backend started.
  std::optional<VmPool> pool_;
};

}  // namespace

std::unique_ptr<Backend> make_vm_backend() { return std::make_unique<VmBackend>(); }

}  // namespace airlock::sandbox
