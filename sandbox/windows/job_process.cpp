#include "sandbox/windows/job_process.h"

#include <stdexcept>

#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

// What a run killed by the sandbox reports, like SIGKILL on Linux: the server tells cancel, timeout and limits apart.
constexpr int kKilledSignal = 9;
constexpr UINT kKilledExitCode = 0xC000013A;  // STATUS_CONTROL_C_EXIT: what a console program shows when ended

}  // namespace

JobProcess::JobProcess(JobObject job, std::vector<ProcessLaunch> steps, RunStdio stdio)
    : job_(std::move(job)),
      stdin_(make_child_pipe(PipeDirection::to_child,
                             stdio == RunStdio::console ? ChildEnd::this_process : ChildEnd::program)),
      stdout_(make_child_pipe(PipeDirection::from_child)),
      stderr_(make_child_pipe(PipeDirection::from_child)),
      steps_(std::move(steps)) {
  if (stdio == RunStdio::console) attach_console();
}

std::unique_ptr<JobProcess> JobProcess::start(std::vector<ProcessLaunch> steps, const JobLimits& limits,
                                              RunStdio stdio) {
  if (steps.empty()) throw std::invalid_argument("nothing to launch: the run has no steps");
  std::unique_ptr<JobProcess> process(new JobProcess(JobObject::create(limits), std::move(steps), stdio));
  process->start_next_step();
  return process;
}

void JobProcess::attach_console() {
  HANDLE keys_read = nullptr;
  HANDLE keys_write = nullptr;
  if (!::CreatePipe(&keys_read, &keys_write, nullptr, 0)) throw_last_error("CreatePipe(console input)");
  UniqueHandle console_reads(keys_read);
  UniqueHandle relay_writes(keys_write);
  console_.emplace(PseudoConsole::create(console_reads.get(), stdout_.child.get()));
  // The console holds its own copies now: its output ends when it is closed, and everything it shows comes out of
  // stdout, so stderr has nothing to carry.
  stdout_.child.reset();
  stderr_.child.reset();
  console_input_ = std::make_unique<ConsoleInputRelay>(std::move(stdin_.child), std::move(relay_writes));
}

JobProcess::~JobProcess() { job_.terminate(kKilledExitCode); }

void JobProcess::start_next_step() {
  const ChildStdio stdio = console_ ? ChildStdio{.console = console_->get()}
                                    : ChildStdio{stdin_.child.get(), stdout_.child.get(), stderr_.child.get()};
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

void JobProcess::end_output() {
  close_child_ends();
  if (console_) console_->close();  // its last screen comes out, then its output ends
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
      end_output();
      ExitStatus failed;
      failed.kind = ExitStatus::Kind::setup_failed;
      failed.message = "step " + std::to_string(next_step_) + " could not start: " + error.what();
      final_ = failed;
      return final_;
    }
  }
  job_.terminate(kKilledExitCode);  // nothing the program started outlives it
  end_output();                     // a failed step ends the output too

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
