#pragma once

// Creating the sandbox's init: one clone3 into a new user, mount, pid, network, ipc, uts and cgroup namespace,
// with a pidfd for the server. The child becomes PID 1 of its pid namespace, so when it exits the kernel kills
// everything left in the sandbox.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {

struct NamespaceKind {
  const char* name;  // e.g. "mount namespace"
  std::uint64_t clone_flag;
};

// Every namespace a sandbox gets, user namespace first.
const std::vector<NamespaceKind>& sandbox_namespaces();

struct ClonedInit {
  pid_t pid = 0;  // 0 in the child
  UniqueFd pidfd;  // in the parent only
};

// Returns twice, like fork. The child has no exit signal: only the server's pidfd can wait for it, so a
// SIGCHLD handler or waitpid(-1) elsewhere in the server cannot reap it by accident.
// Throws SandboxUnavailable, with the cause and the fix, when the host refuses the namespaces.
ClonedInit clone_sandbox_init();

// Whether the host lets this process create a user namespace together with the given one; why not otherwise.
std::optional<std::string> try_namespace(std::uint64_t clone_flag);

}  // namespace airlock::sandbox::linux_backend
