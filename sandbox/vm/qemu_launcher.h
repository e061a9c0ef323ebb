#pragma once

// Starts QEMU as the sandbox boundary with the least it needs: its own process group, killed with the thread
// that started it (PR_SET_PDEATHSIG), its own user namespace (no capability over the host), an empty network
// namespace and a mount namespace of its own (where a run's workspace is mounted later: workspace_attach.h),
// no_new_privs, default signal handling, and only the descriptors it is
// given: /dev/null as stdin, the console socket as stdout and stderr (so QEMU's own errors reach the console
// log) and the listed sockets at 3, 4, ... in order.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm {

struct QemuHandle {
  pid_t pid = -1;
  UniqueFd pidfd;
};

// The descriptor number the i-th passed socket has in QEMU.
inline constexpr int passed_fd(int index) { return 3 + index; }

// args[0] is QEMU's absolute path. `read_only_folder`, unless empty, is made read-only in QEMU's mount namespace
// before QEMU starts (a staging folder). Throws SandboxUnavailable when the process cannot be created.
QemuHandle spawn_qemu(const std::vector<std::string>& args, int console_fd, const std::vector<int>& passed,
                      const std::filesystem::path& read_only_folder = {});

// Waits for QEMU (killed or ending) and reaps it; says how it ended.
std::string reap_qemu(const QemuHandle& qemu);

}  // namespace airlock::sandbox::vm
