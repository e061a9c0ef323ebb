#include "sandbox/vm/own_user_namespace.h"

#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "sandbox/backend.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/linux/retrying_read.h"

namespace airlock::sandbox::vm {
namespace {

bool write_proc(pid_t child, const char* file, const std::string& text) {
  std::ofstream out("/proc/" + std::to_string(child) + "/" + file);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

[[noreturn]] void unavailable(const char* what, const std::string& call, int error) {
  std::string message = std::string(what) + ": " + call + " failed: " + std::strerror(error);
  if (error == EPERM || error == ENOSPC)
    message += ". Fix: allow user namespaces for this user (sysctl user.max_user_namespaces > 0, and "
               "kernel.unprivileged_userns_clone=1 where the kernel has it)";
  throw SandboxUnavailable(message);
}

}  // namespace

ChildInOwnNamespaces clone_into_own_namespaces(std::uint64_t namespaces, const char* what) {
  int go[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, go) != 0) unavailable(what, "socketpair", errno);
  UniqueFd parent_end(go[0]);
  UniqueFd child_end(go[1]);
  int pidfd = -1;
  const pid_t pid = linux_backend::clone3_fork(CLONE_PIDFD | CLONE_NEWUSER | namespaces, &pidfd, SIGCHLD);
  if (pid < 0) unavailable(what, "clone3", errno);
  if (pid == 0) return ChildInOwnNamespaces{.pid = 0, .go = std::move(child_end)};
  return ChildInOwnNamespaces{.pid = pid, .pidfd = UniqueFd(pidfd), .go = std::move(parent_end)};
}

void let_child_go(ChildInOwnNamespaces& child, const char* what) {
  const bool root = ::geteuid() == 0;
  const std::string uid = std::to_string(::geteuid());
  const std::string gid = std::to_string(::getegid());
  const bool mapped = (root || write_proc(child.pid, "setgroups", "deny")) &&
                      write_proc(child.pid, "uid_map", root ? "0 0 4294967295" : uid + " " + uid + " 1") &&
                      write_proc(child.pid, "gid_map", root ? "0 0 4294967295" : gid + " " + gid + " 1");
  const int error = errno;
  const char go = 1;
  if (mapped && ::send(child.go.get(), &go, 1, MSG_NOSIGNAL) == 1) return;
  linux_backend::pidfd_kill(child.pidfd.get(), SIGKILL);
  siginfo_t ignored{};
  ::waitid(P_PIDFD, static_cast<id_t>(child.pidfd.get()), &ignored, WEXITED);
  unavailable(what, "writing the id maps", error);
}

bool wait_for_go(int go) {
  char byte = 0;
  return linux_backend::read_retrying(go, &byte, 1) == 1;
}

}  // namespace airlock::sandbox::vm
