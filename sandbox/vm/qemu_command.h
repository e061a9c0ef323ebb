#pragma once

// The QEMU command line for one VM: the microvm machine (no firmware, no PCI, virtio-mmio devices only), no
// default devices, no network, no user config, QEMU's own seccomp sandbox on, the kernel booted directly, the
// agent port and the console on descriptors the caller passes in, one 9p share per host folder, and the system
// disk (make-guest-system) as a read-only virtio-blk drive when there is one.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace airlock::sandbox::vm {

enum class Accelerator { kvm, tcg };
const char* to_string(Accelerator accelerator);

struct HostShare {
  std::string tag;  // the 9p mount tag the guest mounts by
  std::filesystem::path host_path;
  bool writable = false;
};

struct VmConfig {
  std::string qemu;  // path of qemu-system-x86_64
  Accelerator accelerator = Accelerator::tcg;
  std::filesystem::path kernel;
  std::filesystem::path initramfs;
  std::int64_t memory_mib = 256;
  int vcpus = 1;
  std::int64_t tsc_khz = 0;  // the host's TSC rate, so the guest skips a calibration that needs a PIT
  std::vector<HostShare> shares;
  std::filesystem::path system_disk;  // an ext4 image, attached read-only; empty: none
  int agent_fd = -1;    // a connected stream socket: the guest agent's port
  int console_fd = -1;  // a connected stream socket: the guest's serial console
  bool probe = false;   // the agent powers off as soon as it runs (the KVM probe)
};

std::string kernel_command_line(const VmConfig& config);
std::vector<std::string> qemu_arguments(const VmConfig& config);

}  // namespace airlock::sandbox::vm
