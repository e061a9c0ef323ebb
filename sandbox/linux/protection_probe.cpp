#include "sandbox/linux/protection_probe.h"

#include <unistd.h>

#include "sandbox/linux/launch_plan.h"
#include "sandbox/linux/namespaces.h"
#include "sandbox/linux/sandbox_launcher.h"

namespace airlock::sandbox::linux_backend {

std::optional<std::string> try_empty_sandbox() {
  LaunchSpec spec;
  spec.cwd = "/";
  try {
    launch_sandbox(make_launch_plan(spec));
  } catch (const SandboxUnavailable& unavailable) {
    return unavailable.what();
  }
  return std::nullopt;
}

std::vector<ProtectionReport> probe_protections() {
  std::vector<ProtectionReport> reports;
  for (const auto& kind : sandbox_namespaces()) {
    const auto refused = try_namespace(kind.clone_flag);
    reports.push_back({kind.name, !refused, refused ? *refused : "a new one for every run"});
  }
  const auto refused = try_empty_sandbox();
  const bool works = !refused;
  auto report = [&](const char* name, const char* how) {
    reports.push_back({name, works, works ? how : "no sandbox can be set up here: " + *refused});
  };
  report("unprivileged uid",
         ::geteuid() == 0 ? "root's runs use the workspace owner's uid, or nobody; uid 0 is never mapped"
                          : "runs use the server's own uid; uid 0 is never mapped");
  report("pivot_root filesystem",
         "read-only root from the host's system folders, generated /etc, the workspace at its own path, "
         "private size-limited /tmp, fresh /proc, minimal /dev; the host's root is detached");
  report("network isolation", "own network namespace with only loopback");
  report("no_new_privs", "set before the program starts");
  report("capabilities dropped", "effective, permitted, inheritable, ambient and bounding sets are empty");
  report("rlimits", "RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_CORE=0");
  reports.push_back({"seccomp", false, "not yet: a later hardening step adds a system call filter"});
  reports.push_back({"landlock", false, "not yet: a later hardening step adds filesystem access rules"});
  reports.push_back({"cgroup limits", false, "not yet: a later hardening step adds memory and process limits"});
  return reports;
}

}  // namespace airlock::sandbox::linux_backend
