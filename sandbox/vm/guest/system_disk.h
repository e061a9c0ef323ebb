#pragma once

// The guest's system folders from the system disk (make-guest-system) instead of the host's 9p shares: what a
// Hyper-V guest has, since a Windows host has no Linux system to share, and what a QEMU guest has when the server
// is given the disk (AIRLOCK_VM_SYSTEM_DISK).

#include "sandbox/vm/agent_protocol.h"

namespace airlock::sandbox::vm::guest {

// When the request names a system disk label: finds the block device whose ext4 file system has that label
// (waiting a little for the kernel to find its disks), mounts it read-only, nosuid and nodev out of the program's
// sight, binds each of its top-level folders read-only where the host's system shares would be (/usr, ...),
// recreates its top-level symlinks (/bin -> usr/bin), binds the entries of its /etc that the request does not
// create itself, and detaches the disk's own mount again. Nothing when the label is empty. Throws GuestError.
void mount_system_disk(const LaunchRequest& request);

}  // namespace airlock::sandbox::vm::guest
