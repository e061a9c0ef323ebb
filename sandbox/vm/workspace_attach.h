#pragma once

// Gives a VM its run's workspace after QEMU has started: a short-lived child of the server joins QEMU's user and
// mount namespaces and mounts a copy of the workspace onto the staging folder's mount point there (read-only
// unless the run may write through). QEMU's 9p server resolves the guest's paths with openat from the share's
// root, so its lookups cross into that mount; nothing is mounted in the host's namespace.

#include <filesystem>

namespace airlock::sandbox::vm {

// Throws SandboxUnavailable naming the call that failed and the fix.
void attach_workspace(int qemu_pidfd, const std::filesystem::path& workspace, const std::filesystem::path& mount_point,
                      bool writable);

}  // namespace airlock::sandbox::vm
