#include "sandbox/vm/workspace_attach.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sandbox/backend.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/unique_fd.h"
#include "sandbox/vm/mount_clone.h"

namespace airlock::sandbox::vm {
namespace {

struct Failure {
  int error = 0;
  char call[32] = {};
};

// In the child, between clone and exit: system calls only.
[[noreturn]] void attach_in_child(int qemu_pidfd, const char* workspace, const char* mount_point, bool writable, int report) {
  Failure failure;
  const char* call = "setns";
  bool attached = ::setns(qemu_pidfd, CLONE_NEWUSER | CLONE_NEWNS) == 0;
  // nosuid and nodev as in the process backend; QEMU's 9p server never executes anything itself.
  if (attached)
    attached = bind_mount_clone(workspace, mount_point,
                                MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | (writable ? 0 : MOUNT_ATTR_RDONLY), call);
  if (attached) _exit(0);
  failure.error = errno;
  std::strncpy(failure.call, call, sizeof failure.call - 1);
  const ssize_t ignored = ::write(report, &failure, sizeof failure);
  (void)ignored;
  _exit(1);
}

std::string fix_for(int error) {
  if (error == EACCES) return ". Fix: the server's user needs search permission on every folder above the workspace";
  if (error == ENOENT) return ". Fix: the workspace folder must exist";
  return "";
}

}  // namespace

void attach_workspace(int qemu_pidfd, const std::filesystem::path& workspace, const std::filesystem::path& mount_point,
                      bool writable) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    throw SandboxUnavailable(std::string("giving the VM its workspace: pipe2 failed: ") + std::strerror(errno));
  UniqueFd report_read(pipe_fds[0]);
  UniqueFd report_write(pipe_fds[1]);
  int helper_pidfd = -1;
  const pid_t helper = linux_backend::clone3_fork(CLONE_PIDFD, &helper_pidfd, SIGCHLD);
  if (helper < 0)
    throw SandboxUnavailable(std::string("giving the VM its workspace: clone3 failed: ") + std::strerror(errno));
  if (helper == 0) attach_in_child(qemu_pidfd, workspace.c_str(), mount_point.c_str(), writable, report_write.get());
  UniqueFd helper_fd(helper_pidfd);
  report_write.reset();

  Failure failure;
  ssize_t got;
  do {
    got = ::read(report_read.get(), &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  siginfo_t ended{};
  while (::waitid(P_PIDFD, static_cast<id_t>(helper_fd.get()), &ended, WEXITED) < 0 && errno == EINTR) {
  }
  if (got == 0 && ended.si_code == CLD_EXITED && ended.si_status == 0) return;
  if (got == static_cast<ssize_t>(sizeof failure)) {
    failure.call[sizeof failure.call - 1] = '\0';
    throw SandboxUnavailable("giving the VM its workspace " + workspace.string() + ": " + failure.call +
                             " failed: " + std::strerror(failure.error) + fix_for(failure.error));
  }
  throw SandboxUnavailable("giving the VM its workspace " + workspace.string() + ": the helper ended without an answer");
}

}  // namespace airlock::sandbox::vm
