#pragma once

// read(2) resumed after a signal interrupts it. A system call only, so children of the server that must not
// allocate or take locks (the sandbox's init, the VM's helpers) can use it.

#include <unistd.h>

#include <cerrno>
#include <cstddef>

namespace airlock::sandbox::linux_backend {

inline ssize_t read_retrying(int fd, void* buffer, std::size_t size) {
  ssize_t got;
  do {
    got = ::read(fd, buffer, size);
  } while (got < 0 && errno == EINTR);
  return got;
}

}  // namespace airlock::sandbox::linux_backend
