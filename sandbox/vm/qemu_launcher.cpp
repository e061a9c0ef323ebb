#include "sandbox/vm/qemu_launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/backend.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/linux/signal_reset.h"
#include "sandbox/vm/mount_clone.h"
#include "sandbox/vm/own_user_namespace.h"

namespace airlock::sandbox::vm {
namespace {

constexpr int kExecFailed = 127;

struct StagingReport {
  int error = 0;
  char call[28] = {};
};

void say(int fd, const char* text) {
  const ssize_t ignored = ::write(fd, text, std::strlen(text));
  (void)ignored;
}

// Runs in the child between clone and exec: only system calls, nothing that allocates or takes locks.
[[noreturn]] void become_qemu(char* const* argv, int console_fd, const std::vector<int>& passed, pid_t parent, int go,
                              const char* read_only_folder) {
  linux_backend::reset_signal_handling();
  if (::setpgid(0, 0) != 0) _exit(kExecFailed);
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || ::getppid() != parent) _exit(kExecFailed);
  if (!wait_for_go(go)) _exit(kExecFailed);
  // The server may mount a workspace onto the staging folder as soon as it hears back: it must land on the
  // read-only copy, not under it. An empty call name means ready.
  StagingReport report;
  const char* failed_call = nullptr;
  if (*read_only_folder != '\0' &&
      !bind_mount_clone(read_only_folder, read_only_folder,
                        MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, failed_call)) {
    report.error = errno;
    std::strncpy(report.call, failed_call, sizeof report.call - 1);
  }
  if (::send(go, &report, sizeof report, MSG_NOSIGNAL) != sizeof report || report.error != 0) _exit(kExecFailed);
  // Move every passed descriptor above the range it is headed for first, so no dup2 overwrites a source.
  const int high = 1000;
  if (::dup2(console_fd, high) < 0) _exit(kExecFailed);
  for (std::size_t i = 0; i < passed.size(); ++i) {
    if (::dup2(passed[i], high + 1 + static_cast<int>(i)) < 0) _exit(kExecFailed);
  }
  const int null = ::open("/dev/null", O_RDONLY);
  if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(high, 1) < 0 || ::dup2(high, 2) < 0) _exit(kExecFailed);
  for (std::size_t i = 0; i < passed.size(); ++i) {
    if (::dup2(high + 1 + static_cast<int>(i), passed_fd(static_cast<int>(i))) < 0) _exit(kExecFailed);
  }
  if (::close_range(passed_fd(static_cast<int>(passed.size())), ~0U, 0) != 0) _exit(kExecFailed);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(kExecFailed);
  ::execv(argv[0], argv);
  say(2, "airlock: cannot execute QEMU: ");
  say(2, std::strerror(errno));
  say(2, "\n");
  _exit(kExecFailed);
}

}  // namespace

QemuHandle spawn_qemu(const std::vector<std::string>& args, int console_fd, const std::vector<int>& passed,
                      const std::filesystem::path& read_only_folder) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  // QEMU gets no network even if the guest takes it over (an empty network namespace), and no capability over
  // the host (a user namespace of its own).
  ChildInOwnNamespaces child = clone_into_own_namespaces(CLONE_NEWNET | CLONE_NEWNS, "starting QEMU in its own namespaces");
  if (child.pid == 0) become_qemu(argv.data(), console_fd, passed, parent, child.go.get(), read_only_folder.c_str());
  let_child_go(child, "starting QEMU in its own namespaces");
  StagingReport report;
  ssize_t got;
  do {
    got = ::recv(child.go.get(), &report, sizeof report, MSG_WAITALL);
  } while (got < 0 && errno == EINTR);
  if (got != static_cast<ssize_t>(sizeof report) || report.error != 0) {
    linux_backend::pidfd_kill(child.pidfd.get(), SIGKILL);
    siginfo_t ignored{};
    ::waitid(P_PIDFD, static_cast<id_t>(child.pidfd.get()), &ignored, WEXITED);
    report.call[sizeof report.call - 1] = '\0';
    throw SandboxUnavailable(got == static_cast<ssize_t>(sizeof report)
                                 ? std::string("making the VM's staging folder read-only: ") + report.call +
                                       " failed: " + std::strerror(report.error)
                                 : std::string("starting QEMU: its process ended before it could start"));
  }
  return QemuHandle{.pid = child.pid, .pidfd = std::move(child.pidfd)};
}

std::string reap_qemu(const QemuHandle& qemu) {
  siginfo_t info{};
  while (true) {
    // The pidfd may be non-blocking (shared with an event loop): wait for it, then reap.
    pollfd ended{.fd = qemu.pidfd.get(), .events = POLLIN, .revents = 0};
    if (::poll(&ended, 1, -1) < 0 && errno != EINTR) return std::string("poll failed: ") + std::strerror(errno);
    if (::waitid(P_PIDFD, static_cast<id_t>(qemu.pidfd.get()), &info, WEXITED) == 0) break;
    if (errno != EINTR && errno != EAGAIN) return std::string("waitid failed: ") + std::strerror(errno);
  }
  if (info.si_code == CLD_EXITED) return "exit code " + std::to_string(info.si_status);
  const char* name = ::sigabbrev_np(info.si_status);
  return std::string("signal SIG") + (name != nullptr ? name : std::to_string(info.si_status).c_str());
}

}  // namespace airlock::sandbox::vm
