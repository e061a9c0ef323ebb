#include "sandbox/linux/step_runner.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>

#include "sandbox/linux/limit_detection.h"
#include "sandbox/linux/resource_limits.h"
#include "sandbox/linux/retrying_read.h"
#include "sandbox/linux/seccomp_filter.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {
namespace {

constexpr int kStepCouldNotStart = 127;

[[noreturn]] void report_start_failure(int failure_fd, const ChildFailure& failure) {
  ssize_t written;
  do {
    written = ::write(failure_fd, failure.message, sizeof failure.message);
  } while (written < 0 && errno == EINTR);
  ::_exit(kStepCouldNotStart);
}

// execvp's search, over the candidates planned in the server: a missing or unreadable candidate moves on to
// the next; permission denied is remembered, as the most telling error, if nothing else works.
int exec_candidates(const PlannedStep& step, const LaunchPlan& plan, const char** failed_candidate) {
  int error = ENOENT;
  bool denied = false;
  for (const auto& candidate : step.candidates) {
    ::execve(candidate.c_str(), step.argv_pointers.data(), plan.env_pointers.data());
    error = errno;
    *failed_candidate = candidate.c_str();
    if (error == EACCES) {
      denied = true;
    } else if (error != ENOENT && error != ENOTDIR && error != ESTALE && error != ELOOP && error != ENAMETOOLONG) {
      return error;
    }
  }
  return denied ? EACCES : error;
}

void describe_exec_failure(const PlannedStep& step, const LaunchPlan& plan, int error, const char* candidate,
                           ChildFailure& failure) {
  const char* program = step.argv.front().c_str();
  const bool searched = step.argv.front().find('/') == std::string::npos;
  if (error == ENOENT && searched) {
    format_bounded(failure.message, sizeof failure.message, "%s: not found in the sandbox (PATH=%s)", program,
                  plan.search_path.c_str());
  } else if (error == ENOENT && ::access(candidate, F_OK) == 0) {
    format_bounded(failure.message, sizeof failure.message,
                  "%s: cannot be executed in the sandbox: the interpreter or loader it names is missing", program);
  } else if (error == ENOENT) {
    format_bounded(failure.message, sizeof failure.message, "%s: not found in the sandbox", program);
  } else {
    format_bounded(failure.message, sizeof failure.message, "%s: cannot be executed in the sandbox: %s", program,
                  error_text(error));
  }
  failure.error = error;
}

bool read_nothing(ChildFailure& failure) {
  UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!null) return fail(failure, errno, "open", "/dev/null as stdin");
  if (::dup2(null.get(), STDIN_FILENO) < 0) return fail(failure, errno, "dup2", "/dev/null as stdin");
  return true;
}

[[noreturn]] void exec_step(const PlannedStep& step, StepInput input, const LaunchPlan& plan, int failure_fd) {
  ChildFailure failure;
  if (::setsid() < 0) {
    fail(failure, errno, "setsid", "starting %s in its own session", step.argv.front().c_str());
    report_start_failure(failure_fd, failure);
  }
  if (input == StepInput::nothing && !read_nothing(failure)) report_start_failure(failure_fd, failure);
  // Only 0-2 reach the program; the failure pipe closes itself when exec succeeds.
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    fail(failure, errno, "close_range", "closing inherited descriptors");
    report_start_failure(failure_fd, failure);
  }
  if (!apply_resource_limits(plan.limits, plan.cgroups, failure)) report_start_failure(failure_fd, failure);
  if (::chdir(plan.cwd.c_str()) != 0) {
    fail(failure, errno, "chdir", "working folder %s", plan.cwd.c_str());
    report_start_failure(failure_fd, failure);
  }
  // Last: from here on the filter also holds what this process does itself.
  if (!install_seccomp_filter(plan.seccomp, failure)) report_start_failure(failure_fd, failure);
  const char* candidate = step.candidates.front().c_str();
  const int error = exec_candidates(step, plan, &candidate);
  describe_exec_failure(step, plan, error, candidate, failure);
  report_start_failure(failure_fd, failure);
}

// Waits for the step, reaping whatever else ends first: the init is the reaper of every orphan in the sandbox.
bool wait_for(pid_t step_pid, int& wait_status, rusage& usage) {
  while (true) {
    const pid_t reaped = ::wait4(-1, &wait_status, __WALL, &usage);
    if (reaped == step_pid) return true;
    if (reaped < 0 && errno != EINTR) return false;
  }
}

InitReport could_not_start(int error, const char* call, const PlannedStep& step) {
  ChildFailure failure;
  fail(failure, error, call, "starting %s", step.argv.front().c_str());
  return make_init_report(InitReportKind::step_failed_to_start, 0, std::nullopt, failure.message);
}

}  // namespace

InitReport run_step(const PlannedStep& step, StepInput input, const LaunchPlan& plan) {
  int failure_pipe[2];
  if (::pipe2(failure_pipe, O_CLOEXEC) != 0) return could_not_start(errno, "pipe2", step);
  UniqueFd failure_read(failure_pipe[0]);
  UniqueFd failure_write(failure_pipe[1]);
  // _Fork, not fork: no atfork handlers, which could take locks the server held when the init was cloned.
  const pid_t pid = ::_Fork();
  if (pid < 0) return could_not_start(errno, "fork", step);
  if (pid == 0) exec_step(step, input, plan, failure_write.get());
  failure_write.reset();

  char message[kFailureMessageSize] = {};
  const ssize_t got = read_retrying(failure_read.get(), message, sizeof message);
  int wait_status = 0;
  rusage usage{};
  if (!wait_for(pid, wait_status, usage)) return could_not_start(errno, "wait4", step);
  if (got > 0) {
    message[sizeof message - 1] = '\0';
    return make_init_report(InitReportKind::step_failed_to_start, 0, std::nullopt, message);
  }
  const bool signaled = WIFSIGNALED(wait_status);
  const int value = signaled ? WTERMSIG(wait_status) : WEXITSTATUS(wait_status);
  char why[kFailureMessageSize] = {};
  std::optional<LimitKind> limit;
  if (signaled || value != 0) {
    limit = limit_behind_failure({.signal = signaled ? value : 0, .usage = &usage}, plan, why, sizeof why);
  } else {
    process_limit_met(plan, why, sizeof why);
  }
  return make_init_report(signaled ? InitReportKind::signaled : InitReportKind::exited, value, limit, why);
}

}  // namespace airlock::sandbox::linux_backend
