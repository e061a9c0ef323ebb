#pragma once

// The guest kernel's drivers that are modules (virtio-mmio, virtio-serial, 9p, ext4, Hyper-V's VMBus, ...): the
// initramfs holds them with one list per hypervisor in dependency order, written when the kernel was fetched.

#include <string>

namespace airlock::sandbox::vm::guest {

// Loads every module named in the list of the hypervisor the guest runs under (guest_hypervisor.h), in that
// order, then deletes the folder to give back its memory. Throws GuestError.
void load_kernel_modules(const std::string& folder);

}  // namespace airlock::sandbox::vm::guest
