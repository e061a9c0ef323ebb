#pragma once

// The VM isolation backend: every run gets a fresh microVM under QEMU with its own Linux kernel, the guest agent
// as PID 1, the host's system folders and the workspace over 9p, no network device, and the run's memory as
// the VM's (plus the guest kernel's share). KVM when a probe boot shows it works, TCG otherwise.
//
// start() does not wait for the boot: it starts QEMU and returns; a VM that fails to come up ends the run with a
// setup failure naming the cause. Like the Linux backend, the Process must be created and dropped on one thread
// that outlives it (QEMU dies with that thread: PR_SET_PDEATHSIG).

#include <memory>

#include "sandbox/backend.h"

namespace airlock::sandbox {

std::unique_ptr<Backend> make_vm_backend();

}  // namespace airlock::sandbox
