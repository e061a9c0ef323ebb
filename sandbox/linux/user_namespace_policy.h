#pragma once

// Why this host refuses the sandbox's user namespace, and what an administrator can change. Used to turn a
// failed clone/unshare or a refused mount into a SandboxUnavailable message that says how to fix it.

#include <string>

namespace airlock::sandbox::linux_backend {

// error: the errno of the refused call. Returns " Fix: ..." text naming the sysctl or policy that forbids
// user namespaces here, or a list of the usual causes when none of the known switches is set.
std::string user_namespace_fix_hint(int error);

}  // namespace airlock::sandbox::linux_backend
