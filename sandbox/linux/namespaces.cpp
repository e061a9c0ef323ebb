#include "sandbox/linux/namespaces.h"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/backend.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/linux/user_namespace_policy.h"

namespace airlock::sandbox::linux_backend {
namespace {

std::uint64_t all_namespace_flags() {
  std::uint64_t flags = 0;
  for (const auto& kind : sandbox_namespaces()) flags |= kind.clone_flag;
  return flags;
}

std::string refusal_message(const char* what, int error) {
  std::string message = std::string(what) + ": clone3 failed: " + std::strerror(error) + ".";
  if (error == ENOSYS) return message + " Fix: the Linux sandbox needs kernel 5.12 or newer.";
  return message + user_namespace_fix_hint(error);
}

}  // namespace

const std::vector<NamespaceKind>& sandbox_namespaces() {
  static const std::vector<NamespaceKind> kinds = {
      {"user namespace", CLONE_NEWUSER},     {"mount namespace", CLONE_NEWNS},
      {"pid namespace", CLONE_NEWPID},       {"network namespace", CLONE_NEWNET},
      {"ipc namespace", CLONE_NEWIPC},       {"uts namespace", CLONE_NEWUTS},
      {"cgroup namespace", CLONE_NEWCGROUP},
  };
  return kinds;
}

ClonedInit clone_sandbox_init() {
  int pidfd = -1;
  const pid_t pid = clone3_fork(all_namespace_flags() | CLONE_PIDFD, &pidfd, 0);
  if (pid < 0) throw SandboxUnavailable(refusal_message("creating the sandbox's namespaces", errno));
  if (pid == 0) return {};
  return {.pid = pid, .pidfd = UniqueFd(pidfd)};
}

std::optional<std::string> try_namespace(std::uint64_t clone_flag) {
  int pidfd = -1;
  const pid_t pid = clone3_fork(CLONE_NEWUSER | clone_flag | CLONE_PIDFD, &pidfd, 0);
  if (pid < 0) return refusal_message("creating a namespace", errno);
  if (pid == 0) ::_exit(0);
  UniqueFd owner(pidfd);
  siginfo_t info{};
  while (::waitid(P_PIDFD, static_cast<id_t>(owner.get()), &info, WEXITED | __WALL) != 0 && errno == EINTR) {
  }
  return std::nullopt;
}

}  // namespace airlock::sandbox::linux_backend
