#pragma once

// The system call filter every program in a sandbox runs under: a deny list of kernel interfaces that an
// untrusted program has no use for and that have a record of kernel exploits or of reaching outside the sandbox
// (debugging other processes, the kernel keyring, BPF, io_uring, kernel modules, mounts, namespaces, terminal
// injection, exotic socket families, the x32 and i386 system call ABIs). Everything else is allowed, so
// ordinary programs, interpreters and compilers work unchanged.
//
// A denied call fails with EPERM instead of killing the program, so programs that probe for a feature fall back
// as they would on a host without it. clone3 fails with ENOSYS: its flags sit in memory the filter cannot read,
// and on ENOSYS the C library falls back to clone, whose flags the filter checks.
//
// The filter is compiled with libseccomp once per server process, at its first use, and kept as a BPF program;
// each run's child only hands that program to the kernel, right before exec.

#include <linux/filter.h>

#include <span>

#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

// The compiled filter, built on the first call. Throws SandboxUnavailable when libseccomp cannot build it.
std::span<const sock_filter> seccomp_program();

// Child side, with no_new_privs already set: installs the program for this process and everything it starts.
// Allocates nothing.
bool install_seccomp_filter(std::span<const sock_filter> program, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
