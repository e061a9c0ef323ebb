#pragma once

// What a Hyper-V utility VM boots: a guest kernel, the agent's initramfs and the guest's system disk (its Linux
// userland), in the folder "vm" beside airlock.exe or in %AIRLOCK_VM_IMAGE_DIR% (the variable the Linux VM backend
// reads too). The kernel and initramfs are a Linux build's VM image as it is (the uncompressed kernel, which
// Hyper-V's direct kernel boot takes as hcsshim's does, and the cpio archive); scripts/package-windows copies them.

#include <string>
#include <variant>

#include "sandbox/windows/hcs_document.h"

namespace airlock::sandbox::windows {

inline constexpr const char* kGuestKernelFile = "vmlinux";
inline constexpr const char* kGuestInitramfsFile = "initramfs.cpio";
inline constexpr const char* kGuestSystemDiskFile = "system.vhd";

// The image, or why there is none and how to get one.
std::variant<GuestImage, std::string> find_hyper_v_image();

}  // namespace airlock::sandbox::windows
