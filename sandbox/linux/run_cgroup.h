#pragma once

// One run's cgroups (memory, pids, or both; one group for both under cgroup v2), below the places
// cgroup_placement() found. Created with the run's limits before the sandbox's init is cloned; the init joins
// them itself as its first act, so everything the run starts is in them; removed when the run is dropped. By then
// the init has been reaped, and the kernel killed and reaped everything else in the sandbox's pid namespace before
// it, so the groups are empty.
//
// Why the init joins instead of being moved: moving another process (writing its pid to cgroup.procs) takes the
// kernel's threadgroup lock for writing, which waits for an RCU grace period, 4-16 ms on every run; a thread moving
// itself (writing 0 to a cgroup v1 "tasks" file) skips that lock and takes 0.1 ms. The server opens the files and
// the init writes before it changes its ids, so whichever credentials the kernel checks (the opener's, or on older
// kernels the writer's) are the server's.

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/policy.h"
#include "sandbox/unique_fd.h"

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

  // Child side, right after the clone: moves the calling process into every group through the files the server
  // opened. Returns 0, or the errno of the write that failed.
  int join() const noexcept;

  // What the kernel recorded: a process killed for memory, or a fork refused at the process limit.
  std::optional<LimitHit> limit_hit() const;

 private:
  void remove();

  std::optional<CgroupVersion> memory_version_;
  std::filesystem::path memory_group_;
  std::filesystem::path pids_group_;
  std::vector<std::filesystem::path> created_;  // in order of creation
  std::vector<UniqueFd> join_files_;             // per group: "tasks" (v1) or "cgroup.procs" (v2), open for writing
  Limits limits_;
};

}  // namespace airlock::sandbox::linux_backend
