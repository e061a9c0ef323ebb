#pragma once

// The guest kernel's drivers that are modules (virtio-mmio, virtio-serial, 9p, ext4, Hyper-V's VMBus, ...): the
// initramfs holds them with lists in dependency order, per hypervisor and per set (guest_hypervisor.h), written
// when the kernel was fetched.

#include <string>

#include "sandbox/vm/guest_hypervisor.h"

namespace airlock::sandbox::vm::guest {

// Loads every module of `set` for the hypervisor the guest runs under, in the list's order. Throws GuestError.
void load_kernel_modules(const std::string& folder, ModuleSet set);

// Deletes the folder to give back its memory, once no set is needed any more; the program never sees it.
void drop_kernel_modules(const std::string& folder);

}  // namespace airlock::sandbox::vm::guest
