// The guest agent: PID 1 of the VM's initramfs. It brings up the few kernel drivers the VM needs, takes one
// launch request from the host over the agent port, builds the run's file system, runs the steps as the
// sandbox user, streams their stdio, sends an overlay run's layer, reports how the run ended, and powers the
// VM off.

#include <fcntl.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/guest_channel_option.h"
#include "sandbox/vm/guest/agent_port.h"
#include "sandbox/vm/guest/guest_error.h"
#include "sandbox/vm/guest/guest_root.h"
#include "sandbox/vm/guest/kernel_modules.h"
#include "sandbox/vm/guest/layer_export.h"
#include "sandbox/vm/guest/program_runner.h"
#include "sandbox/vm/guest/run_cgroup.h"

namespace airlock::sandbox::vm::guest {
namespace {

constexpr const char* kModulesFolder = "/modules";
// How long the agent waits, after its final report, for the host to end the VM before powering off itself.
constexpr int kReportGraceMs = 10'000;

[[noreturn]] void power_off() {
  ::sync();
  ::reboot(RB_POWER_OFF);
  // PID 1 must not return; if power-off failed, the kernel panics and the VM stops (the host passes panic=-1).
  std::_Exit(1);
}

void mount_kernel_views() {
  for (const char* folder : {"/dev", "/proc", "/sys"}) ::mkdir(folder, 0755);
  if (::mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, nullptr) != 0) fail_call("mount", "mounting devtmpfs");
  // The initramfs is built without device nodes, so the kernel found no console for PID 1: give it one now, so
  // the agent's complaints reach the host's console log and no pipe ever lands on descriptors 0-2.
  if (::fcntl(STDERR_FILENO, F_GETFD) < 0) {
    const int console = ::open("/dev/console", O_RDWR);
    for (int fd = 0; fd <= 2 && console >= 0; ++fd) ::dup2(console, fd);
    if (console > 2) ::close(console);
  }
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) fail_call("mount", "mounting /proc");
  if (::mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) fail_call("mount", "mounting /sys");
}

// The agent's own views of every device and of sysfs are not for the program: detach them before its root is built.
void hide_kernel_views() {
  for (const char* folder : {"/dev", "/proc", "/sys"}) {
    if (::umount2(folder, MNT_DETACH) != 0) fail_call("umount2", std::string("hiding the agent's ") + folder);
  }
  ::rmdir("/sys");
}

void set_clock(std::int64_t realtime_ns) {
  const timespec now{.tv_sec = static_cast<time_t>(realtime_ns / 1'000'000'000),
                     .tv_nsec = static_cast<long>(realtime_ns % 1'000'000'000)};
  if (::clock_settime(CLOCK_REALTIME, &now) != 0) fail_call("clock_settime", "setting the guest's clock");
}

void wait_for_host_to_end_vm(AgentPort& port) {
  pollfd closed{.fd = port.fd(), .events = POLLIN, .revents = 0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kReportGraceMs);
  char ignored[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&closed, 1, static_cast<int>(left.count())) <= 0) return;
    if (::read(port.fd(), ignored, sizeof ignored) <= 0) return;
  }
}

// QEMU gives the agent a virtio-serial port; Hyper-V's command line names the vsock port its host listens on.
GuestChannelOption read_agent_channel() {
  std::ifstream file("/proc/cmdline");
  std::string command_line;
  std::getline(file, command_line);
  return guest_channel_from_command_line(command_line);
}

AgentPort open_agent_channel(const GuestChannelOption& channel) {
  if (channel.kind == GuestChannelOption::Kind::vsock) return AgentPort::connect_vsock(channel.vsock_port);
  return AgentPort::open_named(kAgentPortName);
}

ExitStatus run(AgentPort& port, const GuestChannelOption& channel) {
  auto frame = port.receive();
  if (!frame) throw GuestError("guest agent: the host closed the channel before sending a launch request");
  if (frame->type != MessageType::launch) throw GuestError("guest agent: the host's first message is not a launch request");
  const auto request = decode_launch(frame->payload);
  if (!request) throw GuestError("guest agent: the launch request is malformed");
  set_clock(request->realtime_ns);
  const RunCgroup cgroup = RunCgroup::create(request->limits);
  // The system disk's drivers only for a run that names the disk (they lengthen a boot); the folder goes while the
  // root is still writable.
  if (!request->system_disk_label.empty()) load_kernel_modules(kModulesFolder, ModuleSet::system_disk);
  drop_kernel_modules(kModulesFolder);
  hide_kernel_views();
  const GuestRoot root = build_guest_root(*request, channel);
  ExitStatus status = run_program(port, *request, cgroup);
  // Every process of the run is gone now, so the layer is final.
  if (root.overlay_upper) export_layer(port, root.overlay_upper.get());
  return status;
}

int agent_main() {
  std::optional<AgentPort> port;
  ExitStatus status;
  try {
    mount_kernel_views();
    load_kernel_modules(kModulesFolder, ModuleSet::boot);
    // The host's KVM probe only needs to know the guest got this far.
    if (std::getenv("airlock_probe") != nullptr) power_off();
    // The shares travel the same way as the agent's channel: virtio under QEMU, vsock under Hyper-V.
    const GuestChannelOption channel = read_agent_channel();
    port.emplace(open_agent_channel(channel));
    status = run(*port, channel);
  } catch (const std::exception& error) {
    status = ExitStatus{.kind = ExitStatus::Kind::setup_failed, .message = error.what()};
    std::fprintf(stderr, "%s\n", error.what());
  }
  if (port) {
    try {
      port->send(MessageType::exit, encode_exit(status));
      wait_for_host_to_end_vm(*port);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "%s\n", error.what());
    }
  }
  power_off();
}

}  // namespace
}  // namespace airlock::sandbox::vm::guest

int main() { return airlock::sandbox::vm::guest::agent_main(); }
