#include "sandbox/linux/sandbox_init.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "sandbox/linux/coarse_clock.h"
#include "sandbox/linux/hostname.h"
#include "sandbox/linux/landlock_rules.h"
#include "sandbox/linux/loopback.h"
#include "sandbox/linux/overlay_handover.h"
#include "sandbox/linux/privileges.h"
#include "sandbox/linux/retrying_read.h"
#include "sandbox/linux/root_filesystem.h"
#include "sandbox/linux/signal_reset.h"
#include "sandbox/linux/step_runner.h"

namespace airlock::sandbox::linux_backend {
namespace {

// The init's descriptors after arrange_descriptors: stdio for the steps, then the two pipes to the server.
constexpr int kLifelineFd = 3;
constexpr int kReportsFd = 4;
constexpr int kFirstUnusedFd = 5;
// Exit codes for failures that happen before a report can be sent.
constexpr int kLostServer = 125;
constexpr int kNoReportPipe = 126;

// Brings the five channels to fds 0-4 and closes every other descriptor inherited from the server (its stdio,
// other sandboxes' pipes, sockets). Copies go above fd 4 first, so no channel is overwritten while moving.
bool arrange_descriptors(const InitChannels& channels) {
  const int wanted[] = {channels.stdin_read, channels.stdout_write, channels.stderr_write, channels.lifeline,
                        channels.reports};
  int copies[5];
  for (int i = 0; i < 5; ++i) {
    copies[i] = ::fcntl(wanted[i], F_DUPFD_CLOEXEC, kFirstUnusedFd);
    if (copies[i] < 0) return false;
  }
  for (int i = 0; i < 5; ++i) {
    if (::dup3(copies[i], i, i >= kLifelineFd ? O_CLOEXEC : 0) < 0) return false;
  }
  return ::close_range(kFirstUnusedFd, ~0U, 0) == 0;
}

bool server_sent_go() {
  char go = 0;
  return read_retrying(kLifelineFd, &go, 1) == 1;
}

// Changing uids clears the parent-death signal, so it is set again; the server holds the lifeline open until
// it drops the sandbox, so a hang-up here means it died in between and nobody would kill this sandbox.
bool rearm_parent_death_signal(ChildFailure& failure) {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
    return fail(failure, errno, "prctl(PR_SET_PDEATHSIG)", "tying the sandbox to the server's life");
  }
  pollfd lifeline{.fd = kLifelineFd, .events = POLLIN, .revents = 0};
  if (::poll(&lifeline, 1, 0) < 0) return fail(failure, errno, "poll", "checking that the server is alive");
  if (lifeline.revents & (POLLHUP | POLLERR)) return fail(failure, EPIPE, "poll", "the server went away");
  return true;
}

bool start_session(ChildFailure& failure) {
  if (::setsid() < 0) return fail(failure, errno, "setsid", "leaving the server's session");
  return true;
}

// Last in setup, which has usually taken longer than the coarse clock's lag.
bool wait_for_run_start(const LaunchPlan& plan, ChildFailure& failure) {
  if (!plan.steps_wait_for_clock || wait_for_coarse_clock(*plan.steps_wait_for_clock, kCoarseClockPatience)) return true;
  format_bounded(failure.message, sizeof failure.message, "%s", kCoarseClockLate);
  failure.error = ETIME;
  return false;
}

bool set_up_sandbox(const LaunchPlan& plan, ChildFailure& failure) {
  // Closed when setup ends: once handed over, only the server holds the layer.
  UniqueFd layer;
  return become_sandbox_user(plan.identity, failure) && rearm_parent_death_signal(failure) &&
         start_session(failure) && set_sandbox_hostname(failure) && bring_up_loopback(failure) &&
         build_root_filesystem(plan.root_ops, layer, failure) &&
         (!layer || hand_over_layer(kLifelineFd, layer, failure)) && hide_from_program(failure) &&
         forbid_new_privileges(failure) && drop_all_capabilities(failure) &&
         restrict_filesystem_access(plan.landlock, failure) && wait_for_run_start(plan, failure);
}

InitReport run_steps(const LaunchPlan& plan) {
  InitReport last = make_init_report(InitReportKind::exited, 0);
  for (const auto& step : plan.steps) {
    const bool is_program = &step == &plan.steps.back();
    last = run_step(step, is_program ? StepInput::sandbox_stdin : StepInput::nothing, plan);
    if (last.kind != InitReportKind::exited || last.value != 0) break;
  }
  return last;
}

}  // namespace

void run_sandbox_init(const LaunchPlan& plan, const InitChannels& channels) {
  // First, so a server dying from here on takes the sandbox with it; the lifeline covers the time before.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  reset_signal_handling();
  if (!arrange_descriptors(channels)) ::_exit(kNoReportPipe);
  ::umask(022);
  if (!server_sent_go()) ::_exit(kLostServer);

  ChildFailure failure;
  if (!set_up_sandbox(plan, failure)) {
    send_init_report(kReportsFd, make_init_report(InitReportKind::setup_error, failure.error ? failure.error : EIO,
                                                  std::nullopt, failure.message));
    ::_exit(1);
  }
  if (!send_init_report(kReportsFd, make_init_report(InitReportKind::ready))) ::_exit(kLostServer);
  send_init_report(kReportsFd, run_steps(plan));
  ::_exit(0);
}

}  // namespace airlock::sandbox::linux_backend
