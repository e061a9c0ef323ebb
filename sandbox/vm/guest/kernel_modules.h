#pragma once

// The guest kernel's drivers that are modules (virtio-mmio, virtio-serial, 9p, ...): the initramfs holds them
// with a list in dependency order, written when the initramfs was built.

#include <string>

namespace airlock::sandbox::vm::guest {

// Loads every module named in `folder`/order, in that order, then deletes the folder to give back its memory.
// Throws GuestError.
void load_kernel_modules(const std::string& folder);

}  // namespace airlock::sandbox::vm::guest
