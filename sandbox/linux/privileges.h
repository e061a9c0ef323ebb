#pragma once

// Inside the sandbox, after the namespaces are set up: give up every privilege the user namespace granted, so
// neither the init nor the program can mount, change ids or regain capabilities through exec.

#include "sandbox/linux/child_failure.h"

namespace airlock::sandbox::linux_backend {

// Clears the bounding set, the ambient set and the effective, permitted and inheritable sets.
bool drop_all_capabilities(ChildFailure& failure);

// No exec can grant privileges again (setuid bits, file capabilities); inherited by every later process.
bool forbid_new_privileges(ChildFailure& failure);

// Keeps the program (same uid) from ptracing or reading /proc of the init that reports the run's status, and
// from reading the server's command line, which the init, a fork of the server, would show as its own.
bool hide_from_program(ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
