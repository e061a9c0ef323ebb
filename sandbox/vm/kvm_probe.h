#pragma once

// Chooses how the VM's CPU runs: KVM when /dev/kvm is usable and a short boot with it really reaches the
// guest agent (nested KVM may accept every call and still hang the guest), TCG software emulation otherwise.
// $AIRLOCK_VM_ACCEL=tcg or =kvm skips the probe; its answer is remembered (accelerator_cache.h).

#include <string>

#include "sandbox/vm/qemu_command.h"
#include "sandbox/vm/vm_image.h"

namespace airlock::sandbox::vm {

struct AcceleratorChoice {
  Accelerator accelerator = Accelerator::tcg;
  std::string detail;  // why this one
};

// Blocks for at most one short boot, and only when no earlier probe on this boot of the host is remembered.
AcceleratorChoice choose_accelerator(const VmImage& image);

}  // namespace airlock::sandbox::vm
