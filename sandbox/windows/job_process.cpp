#include "sandbox/windows/job_process.h"

#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

// What a run killed by the sandbox reports, like SIGKILL on Linux: the server tells cancel, timeout and limits apart.
constexpr int kKilledSignal = 9;
constexpr UINT kKilledExitCode = 0xC000013A;  // STATUS_CONTROL_C_EXIT: what a console program shows when ended

}  // namespace

std::unique_ptr<JobProcess> JobProcess::start(const ProcessLaunch& launch, const JobLimits& limits) {
  JobObject job = JobObject::create(limits);
  LaunchedProcess launched = launch_in_job(launch, job);
  return std::unique_ptr<JobProcess>(new JobProcess(std::move(job), std::move(launched)));
}

JobProcess::~JobProcess() { job_.terminate(kKilledExitCode); }

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
  if (::WaitForSingleObject(launched_.process.get(), 0) != WAIT_OBJECT_0) return std::nullopt;
  DWORD code = 0;
  if (!::GetExitCodeProcess(launched_.process.get(), &code)) throw_last_error("GetExitCodeProcess");
  job_.terminate(kKilledExitCode);  // nothing the program started outlives it

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

void JobProcess::kill() {
  killed_ = true;
  job_.terminate(kKilledExitCode);
}

}  // namespace airlock::sandbox::windows
