#include "sandbox/linux/linux_process.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <span>
#include <string>

#include "sandbox/linux/init_report.h"
#include "sandbox/linux/kernel_calls.h"
#include "sandbox/linux/overlay_handover.h"
#include "sandbox/linux/retrying_read.h"
#include "sandbox/linux/user_namespace_policy.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Exactly one report: the init writes each one atomically, but a read may see several back to back.
using ReportBuffer = std::array<std::byte, sizeof(InitReport)>;

ssize_t read_report(int fd, ReportBuffer& buffer) { return read_retrying(fd, buffer.data(), buffer.size()); }

ExitStatus setup_failed(std::string message) {
  ExitStatus status;
  status.kind = ExitStatus::Kind::setup_failed;
  status.message = std::move(message);
  return status;
}

std::string describe(const siginfo_t& end) {
  if (end.si_code == CLD_EXITED) return "exit code " + std::to_string(end.si_status);
  const char* name = ::sigabbrev_np(end.si_status);
  return "signal " + std::to_string(end.si_status) + (name != nullptr ? std::string(" (SIG") + name + ")" : "");
}

// Waits for the process behind `pidfd` to end and reaps it. The pidfd may be in non-blocking mode (an event
// loop watching it shares its file description), where waitid answers EAGAIN instead of waiting: poll first.
bool reap_blocking(int pidfd, siginfo_t& info) {
  for (;;) {
    pollfd exited{.fd = pidfd, .events = POLLIN, .revents = 0};
    if (::poll(&exited, 1, -1) < 0 && errno != EINTR) return false;
    if (::waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED | __WALL) == 0) return true;
    if (errno != EINTR && errno != EAGAIN) return false;
  }
}

}  // namespace

LinuxProcess::LinuxProcess(SandboxHandles handles) : handles_(std::move(handles)) {}

LinuxProcess::~LinuxProcess() {
  if (reaped_) return;
  pidfd_kill(handles_.init_pidfd.get(), SIGKILL);
  // Bounded: SIGKILL cannot be blocked, and the kernel kills the rest of the pid namespace with its init.
  siginfo_t info{};
  reap_blocking(handles_.init_pidfd.get(), info);
}

void LinuxProcess::let_init_start() {
  const char go = 1;
  ssize_t sent;
  do {
    sent = ::send(handles_.lifeline.get(), &go, 1, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent != 1) {
    throw SandboxUnavailable(std::string("starting the sandbox: the init is gone: send failed: ") + std::strerror(errno));
  }
}

void LinuxProcess::wait_until_ready(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd reports{.fd = handles_.reports.get(), .events = POLLIN, .revents = 0};
    const int ready = ::poll(&reports, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) throw SandboxUnavailable(std::string("sandbox setup: poll failed: ") + std::strerror(errno));
    if (ready == 0) {
      throw SandboxUnavailable("sandbox setup did not finish within " + std::to_string(timeout.count()) +
                               " ms; the host may be overloaded");
    }
    ReportBuffer buffer;
    const ssize_t got = read_report(handles_.reports.get(), buffer);
    if (got < 0 && errno == EAGAIN) continue;
    if (got <= 0) throw SandboxUnavailable("sandbox setup: the sandbox's init ended without a report (" + describe_init_end() + ")");
    const auto outcome = parse_setup_report(std::span(buffer.data(), static_cast<std::size_t>(got)));
    if (!outcome) throw SandboxUnavailable("sandbox setup: the sandbox's init sent a malformed report");
    if (outcome->ready) {
      if (handles_.expects_layer) layer_ = receive_layer(handles_.lifeline.get());
      return;
    }
    std::string message = "sandbox setup failed: " + outcome->message + ".";
    if (outcome->error == EPERM) message += user_namespace_fix_hint(outcome->error);
    if (outcome->error == ENOSYS) message += " Fix: the Linux sandbox needs Linux 5.12 or newer.";
    throw SandboxUnavailable(message);
  }
}

UniqueFd LinuxProcess::take_stdin() { return std::move(handles_.stdin_write); }
UniqueFd LinuxProcess::take_stdout() { return std::move(handles_.stdout_read); }
UniqueFd LinuxProcess::take_stderr() { return std::move(handles_.stderr_read); }
UniqueFd LinuxProcess::take_overlay_layer() { return std::move(layer_); }

int LinuxProcess::wait_fd() const { return handles_.init_pidfd.get(); }

std::optional<ExitStatus> LinuxProcess::poll() {
  if (status_) return status_;
  siginfo_t end{};
  if (::waitid(P_PIDFD, static_cast<id_t>(handles_.init_pidfd.get()), &end, WEXITED | WNOHANG | __WALL) != 0) {
    if (errno == EINTR) return std::nullopt;
    reaped_ = true;
    status_ = setup_failed(std::string("lost track of the sandbox's init: waitid failed: ") + std::strerror(errno));
    return status_;
  }
  if (end.si_pid == 0) return std::nullopt;
  reaped_ = true;
  status_ = status_after_end(end);
  return status_;
}

void LinuxProcess::kill() {
  if (reaped_) return;
  // ESRCH only means the init has already ended; poll() reports how.
  pidfd_kill(handles_.init_pidfd.get(), SIGKILL);
  killed_ = true;
}

ExitStatus LinuxProcess::status_after_end(const siginfo_t& init_end) {
  ReportBuffer buffer;
  const ssize_t got = read_report(handles_.reports.get(), buffer);
  ExitStatus status;
  if (got > 0) {
    auto reported = parse_final_report(std::span(buffer.data(), static_cast<std::size_t>(got)));
    if (!reported) return setup_failed("the sandbox's init sent a malformed final status");
    status = std::move(*reported);
  } else if (init_end.si_code == CLD_KILLED || init_end.si_code == CLD_DUMPED) {
    status.kind = ExitStatus::Kind::signaled;
    status.signal = killed_ ? SIGKILL : init_end.si_status;
  } else {
    return setup_failed("the sandbox's init ended without a final status (" + describe(init_end) + ")");
  }
  // The kernel's record in the run's cgroup names a limit the init could not see (an OOM kill may even take
  // the init itself); a run that succeeded all the same only notes it. A run the server killed ended for the
  // server's reason.
  const bool failed = status.kind == ExitStatus::Kind::signaled || status.code != 0;
  if (!status.limit && !killed_) {
    if (auto hit = handles_.cgroup.limit_hit()) {
      if (failed) status.limit = hit->kind;
      status.message = std::move(hit->message);
    }
  }
  return status;
}

std::string LinuxProcess::describe_init_end() {
  siginfo_t end{};
  if (!reap_blocking(handles_.init_pidfd.get(), end)) return std::string("waitid failed: ") + std::strerror(errno);
  reaped_ = true;
  return describe(end);
}

}  // namespace airlock::sandbox::linux_backend
