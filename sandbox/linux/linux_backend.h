#pragma once

// The Linux process-isolation backend: each run gets fresh user, mount, pid, network, ipc, uts and cgroup
// namespaces, a read-only root built from the host's system folders, the workspace at its own path, a private
// size-limited /tmp, no network but loopback, no capabilities and no_new_privs. Needs Linux 5.12 or newer.
//
// start() blocks only for the sandbox's setup (a few milliseconds) and throws SandboxUnavailable when the host
// refuses the namespaces or the setup fails, std::invalid_argument when the spec itself is malformed.
// The returned Process must be created and dropped on one thread that outlives it: the sandbox is killed when
// the thread that started it exits (PR_SET_PDEATHSIG).

#include <memory>

#include "sandbox/backend.h"

namespace airlock::sandbox {

std::unique_ptr<Backend> make_linux_backend();

}  // namespace airlock::sandbox
