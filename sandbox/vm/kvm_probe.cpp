#include "sandbox/vm/kvm_probe.h"

#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "sandbox/backend.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/vm/accelerator_cache.h"
#include "sandbox/unique_fd.h"
#include "sandbox/vm/qemu_launcher.h"
#include "sandbox/vm/tsc_frequency.h"

namespace airlock::sandbox::vm {
namespace {

// A KVM guest reaches its init in well under a second; one that has not after this never will.
constexpr int kProbeBootMs = 3000;
constexpr int kKvmApiVersion = 12;

std::optional<std::string> kvm_device_problem() {
  UniqueFd kvm(::open("/dev/kvm", O_RDWR | O_CLOEXEC));
  if (!kvm) return std::string("/dev/kvm: ") + std::strerror(errno);
  const int version = ::ioctl(kvm.get(), KVM_GET_API_VERSION, 0);
  if (version != kKvmApiVersion) return "/dev/kvm speaks API version " + std::to_string(version) + ", not 12";
  return std::nullopt;
}

// Boots the image with KVM; the agent powers off at once. Says what went wrong, if anything.
std::optional<std::string> boot_problem(const VmImage& image) {
  int agent[2];
  int console[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, agent) != 0) return std::string("socketpair: ") + std::strerror(errno);
  UniqueFd agent_host(agent[0]), agent_guest(agent[1]);
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, console) != 0) return std::string("socketpair: ") + std::strerror(errno);
  UniqueFd console_host(console[0]), console_guest(console[1]);

  VmConfig config{.qemu = image.qemu, .accelerator = Accelerator::kvm, .kernel = image.kernel, .initramfs = image.initramfs,
                  .memory_mib = 256, .vcpus = 1, .tsc_khz = host_tsc_khz(), .agent_fd = passed_fd(0),
                  .console_fd = passed_fd(1), .probe = true};
  QemuHandle qemu;
  try {
    qemu = spawn_qemu(qemu_arguments(config), console_guest.get(), {agent_guest.get(), console_guest.get()});
  } catch (const SandboxUnavailable& error) {
    return std::string(error.what());
  }
  console_guest.reset();
  agent_guest.reset();
  pollfd ended{.fd = qemu.pidfd.get(), .events = POLLIN, .revents = 0};
  int ready;
  do {
    ready = ::poll(&ended, 1, kProbeBootMs);
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) {
    linux_backend::pidfd_kill(qemu.pidfd.get(), SIGKILL);
    reap_qemu(qemu);
    return "a KVM guest did not reach its init within " + std::to_string(kProbeBootMs) +
           " ms (nested virtualization that hangs the guest?)";
  }
  const std::string end = reap_qemu(qemu);
  if (end != "exit code 0") return "a KVM boot failed (QEMU " + end + ")";
  return std::nullopt;
}

}  // namespace

AcceleratorChoice choose_accelerator(const VmImage& image) {
  if (const char* forced = std::getenv("AIRLOCK_VM_ACCEL"); forced && *forced) {
    if (std::string(forced) == "kvm") return {Accelerator::kvm, "KVM, as AIRLOCK_VM_ACCEL says"};
    return {Accelerator::tcg, "TCG software emulation, as AIRLOCK_VM_ACCEL says"};
  }
  if (auto problem = kvm_device_problem()) return {Accelerator::tcg, "TCG software emulation: no KVM (" + *problem + ")"};
  if (auto remembered = remembered_accelerator(image)) return *remembered;
  AcceleratorChoice choice{Accelerator::kvm, "KVM: a probe boot reached the guest agent"};
  if (auto problem = boot_problem(image)) choice = {Accelerator::tcg, "TCG software emulation: " + *problem};
  remember_accelerator(image, choice);
  return choice;
}

}  // namespace airlock::sandbox::vm
