#pragma once

// What a VM boots from: the guest kernel and initramfs that the build puts in vm/ next to the airlock binary
// (or in $AIRLOCK_VM_IMAGE_DIR), and QEMU from Debian's qemu-system-x86; the system disk where one is named.

#include <filesystem>
#include <string>
#include <variant>

namespace airlock::sandbox::vm {

struct VmImage {
  std::string qemu;
  std::filesystem::path kernel;
  std::filesystem::path initramfs;
  std::string guest_release;  // the guest kernel's version, e.g. 6.1.0-57-amd64
  // The guest's system disk (make-guest-system) named by AIRLOCK_VM_SYSTEM_DISK; empty: the guest gets the host's
  // system folders over 9p instead.
  std::filesystem::path system_disk;
};

// The image, or why there is none and how to get it.
std::variant<VmImage, std::string> find_vm_image();

}  // namespace airlock::sandbox::vm
