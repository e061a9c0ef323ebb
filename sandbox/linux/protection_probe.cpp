#include "sandbox/linux/protection_probe.h"

#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sandbox/linux/cgroup_placement.h"
#include "sandbox/linux/landlock_rules.h"
#include "sandbox/linux/launch_plan.h"
#include "sandbox/linux/namespaces.h"
#include "sandbox/linux/sandbox_launcher.h"
#include "sandbox/linux/seccomp_filter.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Exit codes of a throwaway child that tries a protection on itself.
constexpr int kEnforced = 0;
constexpr int kCouldNotInstall = 1;
constexpr int kNotEnforced = 2;

// Runs `probe` in a child of its own, which the protection then binds instead of this process; returns the
// child's exit code, or why there is none. The child only makes system calls: it allocates nothing.
template <typename Probe>
std::optional<int> exit_code_in_child(Probe probe, std::string& why_not) {
  const pid_t child = ::_Fork();
  if (child < 0) {
    why_not = std::string("fork failed: ") + std::strerror(errno);
    return std::nullopt;
  }
  if (child == 0) ::_exit(probe());
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) {
      why_not = std::string("waitpid failed: ") + std::strerror(errno);
      return std::nullopt;
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  why_not = "the probe died of signal " + std::to_string(WTERMSIG(status));
  return std::nullopt;
}

ProtectionReport probe_seccomp() {
  std::span<const sock_filter> program;
  try {
    program = seccomp_program();
  } catch (const SandboxUnavailable& error) {
    return {"seccomp", false, error.what()};
  }
  std::string why_not;
  const auto code = exit_code_in_child(
      [program] {
        ChildFailure failure;
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !install_seccomp_filter(program, failure)) {
          return kCouldNotInstall;
        }
        const bool denied = ::personality(PER_LINUX32) == -1 && errno == EPERM;
        const bool clone3_unknown = ::syscall(SYS_clone3, nullptr, 0) == -1 && errno == ENOSYS;
        return denied && clone3_unknown ? kEnforced : kNotEnforced;
      },
      why_not);
  if (code == kEnforced) {
    return {"seccomp", true,
            "a BPF filter compiled once, installed right before exec: ptrace, process_vm_*, keyrings, bpf, "
            "perf_event_open, userfaultfd, io_uring, kexec, modules, mounts, unshare, setns, namespace flags of "
            "clone, TIOCSTI/TIOCLINUX, personality changes and socket families other than unix, IPv4 and IPv6 fail "
            "with EPERM; clone3 with ENOSYS; the x32 and i386 ABIs are denied"};
  }
  if (code == kCouldNotInstall) why_not = "the kernel refused the filter (prctl(PR_SET_SECCOMP))";
  if (code == kNotEnforced) why_not = "the filter was installed but a denied call was not refused";
  return {"seccomp", false, why_not};
}

ProtectionReport probe_landlock() {
  const int abi = landlock_abi();
  if (abi == 0) {
    return {"landlock", false,
            "this kernel offers no Landlock (it needs Linux 5.13 or newer with landlock in the lsm= boot list); "
            "runs go without this second filesystem layer"};
  }
  const LandlockPlan plan = plan_landlock(Policy{});
  std::string why_not;
  const auto code = exit_code_in_child(
      [&plan] {
        ChildFailure failure;
        if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || !restrict_filesystem_access(plan, failure)) {
          return kCouldNotInstall;
        }
        return kEnforced;
      },
      why_not);
  if (code == kEnforced) return {"landlock", true, describe_landlock(abi)};
  if (code) why_not = "the kernel offers ABI " + std::to_string(abi) + " but refused the sandbox's ruleset";
  return {"landlock", false, why_not};
}

// Bind mounts carry sockets along and connect() ignores read-only mounts. The readonly and overlay modes mount
// the workspace as an overlay, whose socket files lead nowhere; a readwrite workspace (or a readonly one with
// mounts inside, which rule the overlay out) is a bind mount, and only Landlock tells a host socket there from a
// file.
ProtectionReport unix_socket_paths(const ProtectionReport& landlock) {
  constexpr const char* kName = "pathname unix sockets";
  constexpr const char* kByOverlay =
      "readonly and overlay workspaces are overlays, which do not carry a host service's socket along";
  if (!landlock.active) {
    return {kName, false,
            std::string(kByOverlay) + "; in a readwrite workspace it is reachable (needs Landlock, which is not "
            "active: " + landlock.detail + ")"};
  }
  if (landlock_abi() < 9) {
    return {kName, false,
            std::string(kByOverlay) + "; in a readwrite workspace it is reachable: this kernel's Landlock ABI " +
                std::to_string(landlock_abi()) + " cannot refuse connect() to a socket by its path (needs ABI 9)"};
  }
  return {kName, true, "only sockets the sandbox created can be connected to, in every workspace mode (Landlock ABI 9)"};
}

bool kernel_at_least(int major, int minor) {
  utsname name{};
  int found_major = 0, found_minor = 0;
  return ::uname(&name) == 0 && std::sscanf(name.release, "%d.%d", &found_major, &found_minor) == 2 &&
         (found_major > major || (found_major == major && found_minor >= minor));
}

std::string cgroup_detail(const CgroupParent& parent, const char* limit_file, const char* evidence) {
  return std::string(to_string(parent.version)) + ": each run gets a group of its own below " +
         parent.folder.string() + " with " + limit_file + " for the whole run; " + evidence;
}

ProtectionReport memory_limit(bool works) {
  const auto& memory = cgroup_placement().memory;
  if (memory.parent) {
    const bool v2 = memory.parent->version == CgroupVersion::v2;
    return {"memory limit", works,
            cgroup_detail(*memory.parent, v2 ? "memory.max" : "memory.limit_in_bytes",
                          "a process the kernel kills for memory is reported as the memory limit")};
  }
  return {"memory limit", works,
          "RLIMIT_DATA, per process: each process's heap and private mappings are bounded, not the run as a whole; "
          "a program that fails near the limit is reported as the memory limit (no cgroup: " + memory.refusal + ")"};
}

ProtectionReport process_limit(bool works) {
  const auto& pids = cgroup_placement().pids;
  if (pids.parent) {
    return {"process limit", works,
            cgroup_detail(*pids.parent, "pids.max", "every refused fork is recorded and reported")};
  }
  if (!kernel_at_least(5, 14)) {
    return {"process limit", false,
            "RLIMIT_NPROC would count every process of the sandbox's uid on the host before Linux 5.14, and there "
            "is no cgroup: " + pids.refusal};
  }
  return {"process limit", works,
          "RLIMIT_NPROC, which Linux counts per user namespace and uid: each run's own processes and threads "
          "together; reported when the run is still at the limit as its program fails (no cgroup: " +
              pids.refusal + ")"};
}

}  // namespace

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
  auto report = [&](const char* name, const std::string& how) {
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
  reports.push_back(probe_seccomp());
  reports.push_back(probe_landlock());
  reports.push_back(unix_socket_paths(reports.back()));
  reports.push_back(memory_limit(works));
  reports.push_back(process_limit(works));
  report("cpu limit", "RLIMIT_CPU, per process: SIGXCPU at the run's CPU seconds, SIGKILL one second later");
  report("disk limit",
         "/tmp (with the home folder) and /dev/shm are size- and inode-limited tmpfs mounts; a full one is "
         "reported as the disk limit");
  report("file size limit", "RLIMIT_FSIZE: no file grows beyond it, in /tmp or a writable workspace (SIGXFSZ)");
  report("open files limit", "RLIMIT_NOFILE");
  report("output limit", "the server stops the run once stdout and stderr together reach the run's output bytes");
  report("core dumps off", "RLIMIT_CORE is 0");
  return reports;
}

}  // namespace airlock::sandbox::linux_backend
