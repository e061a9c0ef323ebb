#pragma once

// The VM isolation backend: every run gets a fresh microVM under QEMU with its own Linux kernel, the guest agent
// as PID 1, the host's system folders and the workspace over 9p, no network device, and the run's memory and
// vCPUs as the VM's (plus the guest kernel's share of memory). KVM when a probe boot shows it works, TCG
// otherwise. With a warm pool, a run takes a VM that booted before it asked (never one another run had).
//
// start() does not wait for the boot: it starts QEMU (or takes a pooled VM), gives it the workspace and returns;
// a VM that fails to come up ends the run with a setup failure naming the cause. Like the Linux backend, the
// Process must be created and dropped on one thread that outlives it (QEMU dies with that thread:
// PR_SET_PDEATHSIG); a pooled VM dies with the pool's thread, which lives as long as the backend.

#include <memory>

#include "sandbox/backend.h"

namespace airlock::sandbox {

// keep_warm() starts the warm pool; its default size is 1 where KVM runs the VMs and 0 under TCG (where a waiting
// VM's boot competes with the runs for the CPU).
std::unique_ptr<Backend> make_vm_backend();

}  // namespace airlock::sandbox
