#include "sandbox/vm/qemu_command.h"

#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm {
namespace {

// Debian's kernels tick at 250 Hz; with a TSC delay loop, loops per jiffy are TSC cycles per jiffy.
constexpr std::int64_t kGuestHz = 250;

// QEMU splits option values at commas; a literal comma is written twice.
std::string option_value(const std::string& value) {
  std::string escaped;
  for (char c : value) {
    escaped += c;
    if (c == ',') escaped += ',';
  }
  return escaped;
}

}  // namespace

const char* to_string(Accelerator accelerator) { return accelerator == Accelerator::kvm ? "kvm" : "tcg"; }

std::string kernel_command_line(const VmConfig& config) {
  // quiet: under TCG every console byte costs emulated port I/O. panic=-1 with -no-reboot: a panic ends QEMU.
  // pci=off: microvm has no PCI, so the kernel need not look for it.
  std::string line = "console=ttyS0 quiet panic=-1 pci=off 8250.nr_uarts=1";
  if (config.tsc_khz > 0) {
    // tsc=reliable: the guest reads the host's own TSC, so the clocksource watchdog (which would otherwise
    // switch the guest to a slow, drifting clock) has nothing to guard against.
    line += " tsc_early_khz=" + std::to_string(config.tsc_khz) + " lpj=" + std::to_string(config.tsc_khz * 1000 / kGuestHz) +
            " no_timer_check tsc=reliable";
  }
  if (config.probe) line += " airlock_probe=1";
  return line;
}

std::vector<std::string> qemu_arguments(const VmConfig& config) {
  std::vector<std::string> args = {
      config.qemu,
      "-M", "microvm,x-option-roms=off",
      "-accel", config.accelerator == Accelerator::kvm ? "kvm" : "tcg",
      "-m", std::to_string(config.memory_mib),
      "-smp", std::to_string(config.vcpus),
      "-nodefaults", "-no-user-config", "-display", "none", "-no-reboot", "-nic", "none",
      // QEMU's own seccomp filter: no exec, no setuid, no obsolete calls, no resource or scheduler changes.
      "-sandbox", "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
      "-kernel", config.kernel.string(),
      "-initrd", config.initramfs.string(),
      "-append", kernel_command_line(config),
      "-chardev", "socket,id=console,fd=" + std::to_string(config.console_fd),
      "-serial", "chardev:console",
      "-device", "virtio-serial-device",
      "-chardev", "socket,id=agent,fd=" + std::to_string(config.agent_fd),
      "-device", std::string("virtserialport,chardev=agent,name=") + kAgentPortName,
  };
  // multidevs=remap: a share may span several host file systems (the workspace mounted on its staging folder),
  // so QEMU keeps their inode numbers apart for the guest.
  int index = 0;
  for (const auto& share : config.shares) {
    const std::string id = "share" + std::to_string(index++);
    args.insert(args.end(), {"-fsdev", "local,id=" + id + ",path=" + option_value(share.host_path.string()) +
                                           ",security_model=none,multidevs=remap" + (share.writable ? "" : ",readonly=on"),
                             "-device", "virtio-9p-device,fsdev=" + id + ",mount_tag=" + option_value(share.tag)});
  }
  if (!config.system_disk.empty()) {
    args.insert(args.end(), {"-drive", "file=" + option_value(config.system_disk.string()) +
                                           ",if=none,id=system,format=raw,readonly=on",
                             "-device", "virtio-blk-device,drive=system"});
  }
  return args;
}

}  // namespace airlock::sandbox::vm
