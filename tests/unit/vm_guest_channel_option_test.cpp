#include <doctest/doctest.h>

#include <stdexcept>

#include "sandbox/vm/guest_channel_option.h"
#include "sandbox/windows/hcs_document.h"

namespace airlock::sandbox::vm {
namespace {

using Kind = GuestChannelOption::Kind;

TEST_CASE("vm guest channel: no option is QEMU's virtio-serial port") {
  CHECK(guest_channel_from_command_line("console=ttyS0 quiet panic=-1\n").kind == Kind::virtio_serial);
  CHECK(guest_channel_from_command_line("").kind == Kind::virtio_serial);
  CHECK(guest_channel_from_command_line("xairlock.agent=vsock:1").kind == Kind::virtio_serial);
}

TEST_CASE("vm guest channel: Hyper-V's command line names the vsock port") {
  const auto option = guest_channel_from_command_line("quiet panic=-1 nr_cpus=2 airlock.agent=vsock:46000\n");
  CHECK(option == GuestChannelOption{.kind = Kind::vsock, .vsock_port = 46000});
  CHECK(guest_channel_from_command_line("airlock.agent=vsock:1 airlock.agent=vsock:2").vsock_port == 2);
}

TEST_CASE("vm guest channel: the agent reads the Hyper-V document's command line as the port the host listens on") {
  Policy policy;
  policy.workspace = "C:\\Users\\me\\proj";
  const windows::GuestImage image{*windows::WindowsPath::parse("C:\\vm\\vmlinux"),
                                  *windows::WindowsPath::parse("C:\\vm\\initramfs.cpio"),
                                  *windows::WindowsPath::parse("C:\\vm\\system.vhd")};
  const auto plan = windows::plan_utility_vm(
      policy, image, {}, {.processors = 2, .user_sid = "S-1-5-21-1", .console_pipe = "\\\\.\\pipe\\console"});
  const auto line = plan.document["VirtualMachine"]["Chipset"]["LinuxKernelDirect"]["KernelCmdLine"].get<std::string>();
  CHECK(guest_channel_from_command_line(line) ==
        GuestChannelOption{.kind = Kind::vsock, .vsock_port = windows::kAgentVsockPort});
}

TEST_CASE("vm guest channel: a malformed value fails instead of waiting on the wrong channel") {
  for (const char* line : {"airlock.agent=", "airlock.agent=serial", "airlock.agent=vsock:", "airlock.agent=vsock:-1",
                           "airlock.agent=vsock:12x", "airlock.agent=vsock:4294967295",
                           "airlock.agent=vsock:4294967296"}) {
    CAPTURE(line);
    CHECK_THROWS_AS(guest_channel_from_command_line(line), std::invalid_argument);
  }
}

}  // namespace
}  // namespace airlock::sandbox::vm
