#pragma once

// What a VM is given: the host folders QEMU shares, the same for every VM (read-only system folders and the
// VM's staging folder, where a run's workspace appears later), and for each run the agent's launch request (the
// guest's /etc, snippets, steps, limits, the sandbox user, how to mount the workspace). Only what an unprivileged
// user of this host could read is copied into the guest.
//
// The guest's system folders (/usr, /bin, ...) come either from the host over 9p, or from the system disk that
// make-guest-system builds (a Windows host has no Linux system to share; under QEMU it is chosen by
// AIRLOCK_VM_SYSTEM_DISK). From the disk, the guest's /etc is the disk's, with the sandbox user's passwd, group
// and hosts from the request: the host's /etc describes the host's system, not the disk's.

#include <filesystem>
#include <vector>

#include "sandbox/policy.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/qemu_command.h"
#include "sandbox/vm/vm_image.h"

namespace airlock::sandbox::vm {

enum class SystemSource { host_shares, system_disk };
// The system disk when the image names one.
SystemSource system_source(const VmImage& image);

// Known before any run: a pre-booted VM has them already.
std::vector<HostShare> vm_shares(const std::filesystem::path& staging_root,
                                 SystemSource system = SystemSource::host_shares);

// Throws std::invalid_argument when the spec is malformed (a file outside the snippet folder, no steps, ...).
LaunchRequest plan_guest(const LaunchSpec& spec, SystemSource system = SystemSource::host_shares);

}  // namespace airlock::sandbox::vm
