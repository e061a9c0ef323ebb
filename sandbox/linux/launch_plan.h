#pragma once

// Everything the sandbox's init needs, computed in the server before clone: the identity, the root filesystem
// operations, each step's argv and the paths execve will try, the environment as execve wants it. The init then
// only walks this plan, without allocating.

#include <linux/filter.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sandbox/linux/landlock_rules.h"
#include "sandbox/linux/root_plan.h"
#include "sandbox/linux/run_cgroup.h"
#include "sandbox/linux/sandbox_identity.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

struct PlannedStep {
  std::vector<std::string> argv;
  std::vector<std::string> candidates;  // paths execve tries in order: argv[0], or its PATH lookup
  std::vector<char*> argv_pointers;     // null-terminated, into argv
};

struct LaunchPlan {
  LaunchPlan() = default;
  LaunchPlan(LaunchPlan&&) = default;
  LaunchPlan& operator=(LaunchPlan&&) = default;
  // A copy would keep pointing into the original's strings.
  LaunchPlan(const LaunchPlan&) = delete;
  LaunchPlan& operator=(const LaunchPlan&) = delete;

  SandboxIdentity identity;
  std::vector<RootOp> root_ops;
  std::vector<PlannedStep> steps;
  std::vector<std::string> env;          // NAME=value
  std::vector<char*> env_pointers;       // null-terminated, into env
  std::string search_path;               // the PATH the lookup used, for "not found" messages
  std::string cwd;
  Limits limits;
  CgroupLimits cgroups;                  // the limits the run's cgroups hold; rlimits hold the others
  LandlockPlan landlock;
  std::span<const sock_filter> seccomp;  // the server's compiled filter (seccomp_filter.h)
  bool hands_over_layer = false;  // an overlay workspace: the init sends the server its layer (overlay_handover.h)
  std::optional<std::chrono::system_clock::time_point> steps_wait_for_clock;  // see LaunchSpec
};

// The default search path when the environment has no PATH (glibc's execvp uses the same).
inline constexpr const char* kDefaultSearchPath = "/bin:/usr/bin";

// Throws std::invalid_argument when the spec cannot be run as given (bad paths, empty argv, NUL bytes, ...).
// An empty workspace and no steps are accepted: the backend's probe runs such a sandbox.
LaunchPlan make_launch_plan(const LaunchSpec& spec);

}  // namespace airlock::sandbox::linux_backend
