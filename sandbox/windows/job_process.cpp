#include "sandbox/windows/job_process.h"

#include <stdexcept>

#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

// What a run killed by the sandbox reports, like SIGKILL on Linux: the server tells cancel, timeout and limits apart.
constexpr int kKilledSignal = 9;
constexpr UINT kKilledExitCode = 0xC000013A;  // STATUS_CONTROL_C_EXIT: what a console program shows when ended

}  // namespace

JobProcess::JobProcess(JobObject job, std::vector<ProcessLaunch> steps)
    : job_(std::move(job)),
      stdin_(make_child_pipe(PipeDirection::to_child)),
      stdout_(make_child_pipe(PipeDirection::from_child)),
      stderr_(make_child_pipe(PipeDirection::from_child)),
      steps_(std::move(steps)) {}

std::unique_ptr<JobProcess> JobProcess::start(std::vector<ProcessLaunch> steps, const JobLimits& limits) {
  if (steps.empty()) throw std::invalid_argument("nothing to launch: the run has no steps");
  std::unique_ptr<JobProcess> process(new JobProcess(JobObject::create(limits), std::move(steps)));
  process->start_next_step();
  return process;
}

JobProcess::~JobProcess() { job_.terminate(kKilledExitCode); }

void JobProcess::start_next_step() {
  const ChildStdio stdio{stdin_.child.get(), stdout_.child.get(), stderr_.child.get()};
  StartedProcess next = start_in_job(steps_[next_step_++], stdio, job_);
  // The wait on the step before ends before its handle closes.
  exit_notice_.watch(next.process.get());
  current_ = std::move(next);
  // The last program holds the only child ends now: its end is the end of the output the server reads.
  if (next_step_ == steps_.size()) close_child_ends();
}

void JobProcess::close_child_ends() {
  stdin_.child.reset();
  stdout_.child.reset();
  stderr_.child.reset();
}

std::optional<LimitKind> JobProcess::limit_reached() const {
  std::optional<LimitKind> limit;
  while (const auto event = job_.next_event(0)) {
    if (*event == JobEvent::memory_limit) limit = LimitKind::memory;
    if (*event == JobEvent::process_limit && !limit) limit = LimitKind::processes;
    if (*event == JobEvent::cpu_time_limit) limit = LimitKind::cpu;
  }
  return limit;
}

std::optional<ExitStatus> JobProcess::poll() {
  if (final_) return final_;
  if (::WaitForSingleObject(current_.process.get(), 0) != WAIT_OBJECT_0) return std::nullopt;
  DWORD code = 0;
  if (!::GetExitCodeProcess(current_.process.get(), &code)) throw_last_error("GetExitCodeProcess");
  if (code == 0 && !killed_ && next_step_ < steps_.size()) {
    try {
      start_next_step();
      return std::nullopt;
    } catch (const std::exception& error) {
      job_.terminate(kKilledExitCode);
      close_child_ends();
      ExitStatus failed;
      failed.kind = ExitStatus::Kind::setup_failed;
      failed.message = "step " + std::to_string(next_step_) + " could not start: " + error.what();
      final_ = failed;
      return final_;
    }
  }
  job_.terminate(kKilledExitCode);  // nothing the program started outlives it
  close_child_ends();               // a failed step ends the output too

  ExitStatus status;
  status.limit = limit_reached();
  if (killed_ || status.limit == LimitKind::cpu) {
    status.kind = ExitStatus::Kind::signaled;
    status.signal = kKilledSignal;
  } else {
    status.code = static_cast<int>(code);
  }
  final_ = status;
  return final_;
}

void JobProcess::end_and_wait(DWORD timeout_ms) {
  kill();
  job_.wait_until_empty(timeout_ms);
}

void JobProcess::kill() {
  killed_ = true;
  job_.terminate(kKilledExitCode);
}

}  // namespace airlock::sandbox::windows
