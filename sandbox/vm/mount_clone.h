#pragma once

// Binds a copy of the mount tree at one path onto another, with attributes added to every mount in the copy, for
// children between clone and exec/exit: system calls only, nothing that allocates. Adding attributes never
// clears the flags the kernel locks on mounts inherited from the host, so this also works in a user namespace.

#include <cstdint>

namespace airlock::sandbox::vm {

// On failure returns false with errno set and `failed_call` naming the system call.
bool bind_mount_clone(const char* source, const char* target, std::uint64_t attributes, const char*& failed_call);

}  // namespace airlock::sandbox::vm
