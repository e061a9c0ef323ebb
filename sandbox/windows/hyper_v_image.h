#pragma once

// What a Hyper-V utility VM boots: a guest kernel and the agent's initramfs, in the folder "vm" beside airlock.exe
// or in %AIRLOCK_VM_IMAGE_DIR% (the variable the Linux VM backend reads too).

#include <string>
#include <variant>

#include "sandbox/windows/hcs_document.h"

namespace airlock::sandbox::windows {

inline constexpr const char* kGuestKernelFile = "vmlinuz";
inline constexpr const char* kGuestInitramfsFile = "initramfs.img";

// The image, or why there is none and how to get one.
std::variant<GuestImage, std::string> find_hyper_v_image();

}  // namespace airlock::sandbox::windows
