#pragma once

// What a VM boots from: the guest kernel and initramfs that the build puts in vm/ next to the airlock binary
// (or in $AIRLOCK_VM_IMAGE_DIR), and QEMU from Debian's qemu-system-x86.

#include <filesystem>
#include <string>
#include <variant>

namespace airlock::sandbox::vm {

struct VmImage {
  std::string qemu;
  std::filesystem::path kernel;
  std::filesystem::path initramfs;
  std::string guest_release;  // the guest kernel's version, e.g. 6.1.0-57-amd64
};

// The image, or why there is none and how to get it.
std::variant<VmImage, std::string> find_vm_image();

}  // namespace airlock::sandbox::vm
