#pragma once

// System calls that glibc 2.36 does not wrap. Each returns what the kernel returns (-1 and errno on error).

#include <linux/openat2.h>
#include <sys/types.h>

#include <cstdint>

namespace airlock::sandbox::linux_backend {

// clone3 without a new stack: like fork, the child returns 0 on a copy of the caller's stack.
// pidfd receives a pidfd for the child when flags has CLONE_PIDFD.
pid_t clone3_fork(std::uint64_t flags, int* pidfd, int exit_signal);

// glibc 2.36's <sys/pidfd.h> lacks extern "C", so its pidfd_send_signal cannot be linked from C++.
int pidfd_kill(int pidfd, int signal);

int openat2_path(int dirfd, const char* path, std::uint64_t flags, std::uint64_t resolve);

}  // namespace airlock::sandbox::linux_backend
