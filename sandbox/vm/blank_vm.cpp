#include "sandbox/vm/blank_vm.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sandbox/backend.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/vm/launch_request.h"
#include "sandbox/vm/tsc_frequency.h"
#include "sandbox/vm/workspace_attach.h"

namespace airlock::sandbox::vm {
namespace {

// The guest kernel, its page tables and the agent live beside the program's memory limit (a cgroup in the guest).
constexpr std::int64_t kGuestOverheadMib = 160;
constexpr std::int64_t kMinimumGuestMib = 256;

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

}  // namespace

VmShape shape_for(const Limits& limits, Accelerator accelerator) {
  const std::int64_t memory_mib = std::max(kMinimumGuestMib, (limits.memory_bytes + (1 << 20) - 1) / (1 << 20) + kGuestOverheadMib);
  return VmShape{.accelerator = accelerator, .memory_mib = memory_mib, .vcpus = static_cast<int>(std::max<std::int64_t>(limits.vcpus, 1))};
}

BlankVm BlankVm::boot(const VmImage& image, const VmShape& shape) {
  StagingFolder staging = StagingFolder::create();
  SocketPair agent = make_socketpair("agent channel");
  SocketPair console = make_socketpair("console");
  const VmConfig config{.qemu = image.qemu, .accelerator = shape.accelerator, .kernel = image.kernel,
                        .initramfs = image.initramfs, .memory_mib = shape.memory_mib, .vcpus = shape.vcpus,
                        .tsc_khz = host_tsc_khz(), .shares = vm_shares(staging.root(), system_source(image)),
                        .system_disk = image.system_disk, .agent_fd = passed_fd(0), .console_fd = passed_fd(1)};
  QemuHandle qemu = spawn_qemu(qemu_arguments(config), console.guest.get(), {agent.guest.get(), console.guest.get()},
                               staging.root());
  return BlankVm(std::move(staging), std::move(qemu), std::move(agent.host), std::move(console.host), shape);
}

BlankVm::~BlankVm() {
  if (!qemu_.pidfd || reaped_) return;
  kill();
  reap();
}

bool BlankVm::alive() const {
  pollfd ended{.fd = qemu_.pidfd.get(), .events = POLLIN, .revents = 0};
  return !reaped_ && ::poll(&ended, 1, 0) == 0;
}

void BlankVm::attach_workspace(const Policy& policy) const {
  vm::attach_workspace(qemu_.pidfd.get(), policy.workspace, staging_.workspace_mount_point(),
                       policy.workspace_mode == WorkspaceMode::readwrite);
}

void BlankVm::kill() const {
  // ESRCH only means QEMU has ended already; a pidfd never reaches another process, reaped or not. Called from
  // the relay's thread too, so it reads nothing that changes.
  linux_backend::pidfd_kill(qemu_.pidfd.get(), SIGKILL);
}

std::string BlankVm::reap() {
  reaped_ = true;
  return reap_qemu(qemu_);
}

}  // namespace airlock::sandbox::vm
