#pragma once

// Children of the server that get a user namespace of their own (plus namespaces it then owns) while keeping their
// ids: for a root server every id maps to itself, so files keep their owners and the child keeps its power over
// them but has no capability over the host itself; an unprivileged server maps only its own ids.
// The parent writes the maps (a child cannot map ids other than its own), then lets the child go on.

#include <sys/types.h>

#include <cstdint>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm {

struct ChildInOwnNamespaces {
  pid_t pid = -1;     // 0 in the child
  UniqueFd pidfd;     // parent only
  UniqueFd go;        // the child reads one byte from it before it may rely on its ids
};

// clone3 with CLONE_NEWUSER | namespaces (and CLONE_PIDFD). Throws SandboxUnavailable naming `what` and the fix.
ChildInOwnNamespaces clone_into_own_namespaces(std::uint64_t namespaces, const char* what);

// Parent: writes the child's id maps and lets it go on. Throws SandboxUnavailable (the child is killed then).
void let_child_go(ChildInOwnNamespaces& child, const char* what);

// Child: waits for the parent's go. False if the parent gave up. A system call only.
bool wait_for_go(int go);

}  // namespace airlock::sandbox::vm
