#include "sandbox/vm/vm_backend.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/kvm_probe.h"
#include "sandbox/vm/launch_request.h"
#include "sandbox/vm/layer_folder.h"
#include "sandbox/vm/qemu_command.h"
#include "sandbox/vm/tsc_frequency.h"
#include "sandbox/vm/vm_image.h"
#include "sandbox/vm/vm_process.h"

namespace airlock::sandbox {
namespace {

using namespace vm;

// The guest kernel, its page tables and the agent live beside the program's memory limit (a cgroup in the guest).
constexpr std::int64_t kGuestOverheadMib = 160;
constexpr std::int64_t kMinimumGuestMib = 256;
// One vCPU: under TCG each is a host thread, and the request has no CPU count to ask for more.
constexpr int kVcpus = 1;

struct SocketPair {
  UniqueFd host;
  UniqueFd guest;
};

SocketPair make_socketpair(const char* what) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    throw SandboxUnavailable(std::string("starting the VM: socketpair for the ") + what + " failed: " + std::strerror(errno));
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

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

class VmBackend final : public Backend {
 public:
  Isolation isolation() const override { return Isolation::vm; }

  std::unique_ptr<Process> start(const LaunchSpec& spec) override {
    reject_unsupported(spec.policy);
    const auto found = find_vm_image();
    if (const auto* reason = std::get_if<std::string>(&found)) throw SandboxUnavailable(*reason);
    const VmImage& image = std::get<VmImage>(found);
    const GuestPlan plan = plan_guest(spec);
    UniqueFd layer;
    if (spec.policy.workspace_mode == WorkspaceMode::overlay) layer = make_layer_folder(spec.policy.limits.disk_bytes);

    SocketPair agent = make_socketpair("agent channel");
    SocketPair console = make_socketpair("console");
    Pipe stdin_pipe = make_pipe("stdin");
    Pipe stdout_pipe = make_pipe("stdout");
    Pipe stderr_pipe = make_pipe("stderr");

    const std::int64_t memory_mib =
        std::max(kMinimumGuestMib, (spec.policy.limits.memory_bytes + (1 << 20) - 1) / (1 << 20) + kGuestOverheadMib);
    const VmConfig config{.qemu = image.qemu, .accelerator = accelerator(image).accelerator, .kernel = image.kernel,
                          .initramfs = image.initramfs, .memory_mib = memory_mib, .vcpus = kVcpus,
                          .tsc_khz = host_tsc_khz(), .shares = plan.shares, .agent_fd = passed_fd(0),
                          .console_fd = passed_fd(1)};
    QemuHandle qemu = spawn_qemu(qemu_arguments(config), console.guest.get(), {agent.guest.get(), console.guest.get()});
    return std::make_unique<VmProcess>(
        std::move(qemu),
        ProgramPipes{.stdin_write = std::move(stdin_pipe.write), .stdout_read = std::move(stdout_pipe.read),
                     .stderr_read = std::move(stderr_pipe.read)},
        RelayEnds{.channel = std::move(agent.host), .console = std::move(console.host),
                  .stdin_read = std::move(stdin_pipe.read), .stdout_write = std::move(stdout_pipe.write),
                  .stderr_write = std::move(stderr_pipe.write)},
        encode_launch(plan.request), std::move(layer));
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
        {"no network device", true, "QEMU runs with -nodefaults -nic none"},
        {"qemu seccomp", true, "QEMU's -sandbox: no exec, no setuid, no obsolete calls, no resource changes"},
        {"qemu namespaces", true, "QEMU runs in a user namespace of its own with an empty network namespace"},
    };
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
  const AcceleratorChoice& accelerator(const VmImage& image) const {
    std::call_once(accelerator_chosen_, [&] { accelerator_ = choose_accelerator(image); });
    return accelerator_;
  }

  mutable std::once_flag accelerator_chosen_;
  mutable AcceleratorChoice accelerator_;
};

}  // namespace

std::unique_ptr<Backend> make_vm_backend() { return std::make_unique<VmBackend>(); }

}  // namespace airlock::sandbox
