#pragma once

// Landlock as a second filesystem layer, below the mounts: should a mount expose more than planned, the program
// still reads and executes only the system folders, reads the workspace (and writes it when its mode allows),
// and writes only /tmp (which holds the home folder and /dev/shm) and the few devices. Where the kernel's Landlock
// ABI offers scoping (6 and newer), the program also cannot reach abstract unix sockets or signal processes outside
// its sandbox; from ABI 9 on, nor pathname unix sockets it did not create (a host service's socket in the
// workspace).
//
// Best effort, as Landlock is an optional kernel feature: on a kernel without it the run goes on without this
// layer, and `airlock doctor` says so. The rules are planned in the server (the outside half) and enforced by
// the sandbox's init once the root filesystem is final (the inside half), so the init and every step live under
// them.

#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/linux/child_failure.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

struct LandlockRule {
  std::string path;  // inside the sandbox; a path missing there has nothing to grant
  std::uint64_t access = 0;
};

struct LandlockPlan {
  int abi = 0;  // 0: this kernel has no Landlock; the run goes without it
  std::uint64_t handled_access_fs = 0;
  std::uint64_t scoped = 0;
  std::vector<LandlockRule> rules;
};

// The filesystem rights the sandbox's ruleset restricts on a kernel with Landlock ABI `abi`.
std::uint64_t landlock_handled_access(int abi);

// The Landlock ABI version this kernel offers, 0 without Landlock. Asked once per process.
int landlock_abi();

// What each Landlock ABI restricts, in words, for `airlock doctor`.
std::string describe_landlock(int abi);

LandlockPlan plan_landlock(const Policy& policy);

// Inside, after the root filesystem is built: restricts this process and everything it starts. Allocates nothing.
bool restrict_filesystem_access(const LandlockPlan& plan, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
