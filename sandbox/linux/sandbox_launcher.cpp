#include "sandbox/linux/sandbox_launcher.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sandbox/linux/init_report.h"
#include "sandbox/linux/namespaces.h"
#include "sandbox/linux/sandbox_init.h"

namespace airlock::sandbox::linux_backend {
namespace {

// Setup is a few milliseconds of mount calls; this only bounds a host that is stalled.
constexpr std::chrono::milliseconds kSetupTimeout{10'000};
// The most an unprivileged process may ask for by default (/proc/sys/fs/pipe-max-size).
constexpr int kOutputPipeBytes = 1 << 20;

struct PipeEnds {
  UniqueFd read;
  UniqueFd write;
};

PipeEnds make_pipe(const char* what) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw SandboxUnavailable(std::string("creating the ") + what + " pipe: pipe2 failed: " + std::strerror(errno));
  }
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// The program's output pipes hold more than the default 64 KiB, so a fast writer and the server's reads meet less
// often. A refusal (the user's pipe memory is over /proc/sys/fs/pipe-user-pages-soft) keeps the default, which
// only costs speed.
void enlarge_output_pipe(const PipeEnds& pipe) { ::fcntl(pipe.write.get(), F_SETPIPE_SZ, kOutputPipeBytes); }

PipeEnds make_lifeline() {
  // A socket, not a pipe: sending to an init that already died gives EPIPE without raising SIGPIPE in the server.
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw SandboxUnavailable(std::string("creating the lifeline: socketpair failed: ") + std::strerror(errno));
  }
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

}  // namespace

std::unique_ptr<LinuxProcess> launch_sandbox(const LaunchPlan& plan) {
  PipeEnds lifeline = make_lifeline();
  PipeEnds reports = make_pipe("report");
  if (::fcntl(reports.read.get(), F_SETFL, O_NONBLOCK) != 0) {
    throw SandboxUnavailable(std::string("setting up the report pipe: fcntl failed: ") + std::strerror(errno));
  }
  PipeEnds stdin_pipe = make_pipe("stdin");
  PipeEnds stdout_pipe = make_pipe("stdout");
  PipeEnds stderr_pipe = make_pipe("stderr");
  enlarge_output_pipe(stdout_pipe);
  enlarge_output_pipe(stderr_pipe);

  RunCgroup cgroup(plan.cgroups, plan.limits);

  ClonedInit init = clone_sandbox_init();
  if (init.pid == 0) {
    // First, so nothing the init allocates or starts is outside the run's limits.
    if (const int error = cgroup.join(); error != 0) {
      send_init_report(reports.write.get(),
                       make_init_report(InitReportKind::setup_error, error, std::nullopt,
                                        "joining the run's cgroups: write to their tasks or cgroup.procs file failed"));
      ::_exit(1);
    }
    run_sandbox_init(plan, {.lifeline = lifeline.read.get(),
                            .reports = reports.write.get(),
                            .stdin_read = stdin_pipe.read.get(),
                            .stdout_write = stdout_pipe.write.get(),
                            .stderr_write = stderr_pipe.write.get()});
  }
  auto process = std::make_unique<LinuxProcess>(SandboxHandles{.init_pidfd = std::move(init.pidfd),
                                                                .lifeline = std::move(lifeline.write),
                                                                .reports = std::move(reports.read),
                                                                .stdin_write = std::move(stdin_pipe.write),
                                                                .stdout_read = std::move(stdout_pipe.read),
                                                                .stderr_read = std::move(stderr_pipe.read),
                                                                .cgroup = std::move(cgroup),
                                                                .expects_layer = plan.hands_over_layer});
  // The init's ends close here, so end of file on stdout and the report pipe means the sandbox is gone.
  lifeline.read.reset();
  reports.write.reset();
  stdin_pipe.read.reset();
  stdout_pipe.write.reset();
  stderr_pipe.write.reset();

  write_id_maps(init.pid, plan.identity);
  process->let_init_start();
  process->wait_until_ready(kSetupTimeout);
  return process;
}

}  // namespace airlock::sandbox::linux_backend
