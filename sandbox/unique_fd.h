#pragma once

#include <unistd.h>

#include "sandbox/unique_resource.h"

namespace airlock::sandbox {

struct FdTraits {
  using Value = int;
  static int empty() noexcept { return -1; }
  static bool is_empty(int fd) noexcept { return fd < 0; }
  static void close(int fd) noexcept { ::close(fd); }
};

// Sole owner of a file descriptor; closes it exactly once.
using UniqueFd = UniqueResource<FdTraits>;

}  // namespace airlock::sandbox
