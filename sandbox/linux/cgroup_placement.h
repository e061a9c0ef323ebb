#pragma once

// Where runs can get cgroups for their memory and process limits. A cgroup bounds a whole run (every process in
// it together) and tells afterwards whether the limit was hit, which a per-process rlimit cannot; but only a
// server allowed to create cgroups can use one: a root server, or one given a delegated cgroup v2 subtree.
//
// For each controller the server looks at its own cgroup: cgroup v2 where that cgroup already delegates the
// controller to its children (cgroup.subtree_control), else cgroup v1 where the controller's hierarchy is
// mounted; then it tries to create (and removes) a group there. Runs get their groups below the server's own, so
// whatever bounds the server also bounds its runs. Without either, the limit falls back to an rlimit
// (resource_limits.h) and `airlock doctor` says which mechanism is used and why.

#include <filesystem>
#include <optional>
#include <string>

namespace airlock::sandbox::linux_backend {

enum class CgroupVersion { v1, v2 };

struct CgroupParent {
  CgroupVersion version = CgroupVersion::v1;
  std::filesystem::path folder;  // the server's own cgroup in the controller's hierarchy
};

struct CgroupController {
  std::optional<CgroupParent> parent;  // nullopt: runs fall back to an rlimit
  std::string refusal;                 // why there is no parent
};

struct CgroupPlacement {
  CgroupController memory;
  CgroupController pids;
};

// Found once per process, on first use, which also removes the groups that servers no longer running left
// behind and starts this server's janitor (cgroup_janitor.h).
const CgroupPlacement& cgroup_placement();

// "cgroup v1" or "cgroup v2".
const char* to_string(CgroupVersion version);

// The name of a run's group: airlock-run-<server pid>-<sequence>.
inline constexpr const char* kRunCgroupPrefix = "airlock-run-";

}  // namespace airlock::sandbox::linux_backend
