#pragma once

// The cgroup every step of the run lives in: its memory and process limits, the way to kill everything the
// program left behind, and whether the memory limit ended it.

#include <cstdint>

#include "sandbox/policy.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm::guest {

class RunCgroup {
 public:
  // Mounts cgroup2, creates the run's group with the limits, and keeps only descriptors of it: the mount is
  // detached, so the program never sees it. Throws GuestError.
  static RunCgroup create(const Limits& limits);

  // In a child between fork and exec: moves the calling process into the group. Returns false with errno set.
  bool join() const;
  // Kills every process in the group.
  void kill_all() const;
  // Whether the kernel's OOM killer fired inside the group.
  bool memory_limit_hit() const;

 private:
  explicit RunCgroup(UniqueFd group) : group_(std::move(group)) {}

  UniqueFd group_;
};

}  // namespace airlock::sandbox::vm::guest
