#pragma once

// One run's cgroups (memory, pids, or both; one group for both under cgroup v2), below the places
// cgroup_placement() found. Created with the run's limits before the sandbox's init is cloned, the init moved in
// before it starts, so everything the run starts is in them; removed when the run is dropped. By then the init
// has been reaped, and the kernel killed and reaped everything else in the sandbox's pid namespace before it, so
// the groups are empty.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

// Which limits a run's cgroups enforce; nullopt leaves that limit to an rlimit.
struct CgroupLimits {
  std::optional<CgroupParent> memory;
  std::optional<CgroupParent> pids;
};

struct LimitHit {
  LimitKind kind;
  std::string message;
};

class RunCgroup {
 public:
  RunCgroup() = default;  // no group: both limits are rlimits
  // Creates the groups and writes the limits. Throws SandboxUnavailable with the path and the cause.
  RunCgroup(const CgroupLimits& where, const Limits& limits);
  RunCgroup(RunCgroup&& other) noexcept;
  RunCgroup& operator=(RunCgroup&& other) noexcept;
  RunCgroup(const RunCgroup&) = delete;
  RunCgroup& operator=(const RunCgroup&) = delete;
  ~RunCgroup();

  // Moves the process (the sandbox's init, before it starts) into every group. Throws SandboxUnavailable.
  void add(pid_t pid) const;

  // What the kernel recorded: a process killed for memory, or a fork refused at the process limit.
  std::optional<LimitHit> limit_hit() const;

 private:
  void remove();

  std::optional<CgroupVersion> memory_version_;
  std::filesystem::path memory_group_;
  std::filesystem::path pids_group_;
  std::vector<std::filesystem::path> created_;  // in order of creation
  Limits limits_;
};

}  // namespace airlock::sandbox::linux_backend
