#pragma once

// A program running in its run's Job Object: the sandbox::Process of process isolation. The run ends when the program
// ends; whatever it left running in the job is killed then, as a PID namespace's children die with its init.

#include <memory>

#include "sandbox/backend.h"
#include "sandbox/windows/job_object.h"
#include "sandbox/windows/process_launcher.h"

namespace airlock::sandbox::windows {

class JobProcess final : public Process {
 public:
  // Creates the job from limits and starts launch in it.
  static std::unique_ptr<JobProcess> start(const ProcessLaunch& launch, const JobLimits& limits);
  ~JobProcess() override;

  UniqueHandle take_stdin() override { return std::move(launched_.stdin_write); }
  UniqueHandle take_stdout() override { return std::move(launched_.stdout_read); }
  UniqueHandle take_stderr() override { return std::move(launched_.stderr_read); }
  // Process isolation has no overlay layer: the Windows backends refuse the overlay workspace.
  UniqueFd take_overlay_layer() override { return {}; }
  // The process handle: signalled when the program has ended.
  HANDLE wait_fd() const override { return launched_.process.get(); }
  std::optional<ExitStatus> poll() override;
  void kill() override;

  DWORD pid() const { return launched_.pid; }
  const JobObject& job() const { return job_; }

 private:
  JobProcess(JobObject job, LaunchedProcess launched) : job_(std::move(job)), launched_(std::move(launched)) {}
  std::optional<LimitKind> limit_reached() const;

  JobObject job_;
  LaunchedProcess launched_;
  bool killed_ = false;
  std::optional<ExitStatus> final_;
};

}  // namespace airlock::sandbox::windows
