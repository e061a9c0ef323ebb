// The QEMU command line: what makes QEMU the boundary it is meant to be.

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "sandbox/vm/qemu_command.h"

namespace airlock::sandbox::vm {
namespace {

VmConfig sample_config() {
  return VmConfig{.qemu = "/usr/bin/qemu-system-x86_64", .accelerator = Accelerator::tcg, .kernel = "/img/vmlinux",
                  .initramfs = "/img/initramfs.cpio", .memory_mib = 320, .vcpus = 1, .tsc_khz = 2'400'000,
                  .shares = {{.tag = "system0", .host_path = "/usr", .writable = false},
                             {.tag = "workspace", .host_path = "/home/a,b", .writable = true}},
                  .agent_fd = 3, .console_fd = 4};
}

bool has_pair(const std::vector<std::string>& args, const std::string& option, const std::string& value) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == option && args[i + 1] == value) return true;
  }
  return false;
}

TEST_CASE("vm qemu command: no default devices, no network, no user config, QEMU's seccomp on") {
  const auto args = qemu_arguments(sample_config());
  CHECK(args.front() == "/usr/bin/qemu-system-x86_64");
  for (const char* flag : {"-nodefaults", "-no-user-config", "-no-reboot"})
    CHECK(std::count(args.begin(), args.end(), flag) == 1);
  CHECK(has_pair(args, "-nic", "none"));
  CHECK(has_pair(args, "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"));
  CHECK(has_pair(args, "-M", "microvm,x-option-roms=off"));
  CHECK(has_pair(args, "-accel", "tcg"));
  CHECK(has_pair(args, "-m", "320"));
  CHECK(has_pair(args, "-smp", "1"));
  for (const auto& arg : args) CHECK(arg.find("netdev") == std::string::npos);
}

TEST_CASE("vm qemu command: shares are read-only unless writable, and commas in paths are escaped") {
  const auto args = qemu_arguments(sample_config());
  CHECK(has_pair(args, "-fsdev", "local,id=share0,path=/usr,security_model=none,multidevs=remap,readonly=on"));
  CHECK(has_pair(args, "-fsdev", "local,id=share1,path=/home/a,,b,security_model=none,multidevs=remap"));
  CHECK(has_pair(args, "-device", "virtio-9p-device,fsdev=share1,mount_tag=workspace"));
  CHECK(has_pair(args, "-chardev", "socket,id=agent,fd=3"));
  CHECK(has_pair(args, "-chardev", "socket,id=console,fd=4"));
}

TEST_CASE("vm qemu command: the guest is told the TSC rate, and a probe boot says so") {
  VmConfig config = sample_config();
  CHECK(kernel_command_line(config).find("tsc_early_khz=2400000 lpj=9600000") != std::string::npos);
  CHECK(kernel_command_line(config).find("airlock_probe") == std::string::npos);
  config.probe = true;
  config.accelerator = Accelerator::kvm;
  CHECK(kernel_command_line(config).find("airlock_probe=1") != std::string::npos);
  CHECK(has_pair(qemu_arguments(config), "-accel", "kvm"));
}

TEST_CASE("vm qemu command: the system disk is a read-only virtio-blk drive, only when there is one") {
  VmConfig config = sample_config();
  for (const auto& arg : qemu_arguments(config)) CHECK(arg.find("virtio-blk") == std::string::npos);
  config.system_disk = "/cache/a,b/system.ext4";
  const auto args = qemu_arguments(config);
  CHECK(has_pair(args, "-drive", "file=/cache/a,,b/system.ext4,if=none,id=system,format=raw,readonly=on"));
  CHECK(has_pair(args, "-device", "virtio-blk-device,drive=system"));
}

}  // namespace
}  // namespace airlock::sandbox::vm
