#pragma once

// A run's Job Object: every process of the run is in it from its first instruction, the limits of JobLimits apply
// to the whole tree, and terminating it (or closing its last handle, also when the server dies) ends the whole tree
// at once. Its completion port reports why processes ended, so a limit is told apart from a crash.

#include <windows.h>

#include <cstdint>
#include <optional>

#include "sandbox/windows/job_limits.h"
#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

enum class JobEvent {
  process_started,
  process_exited,
  all_processes_exited,
  process_limit,        // a process was refused: the active process limit is reached
  memory_limit,         // the tree's or one process's committed memory hit its limit
  cpu_time_limit,       // the tree's CPU time ran out (the job is terminated then)
  abnormal_exit,        // a process ended by an unhandled exception
};

class JobObject {
 public:
  // Creates the job with every limit applied; throws WindowsError naming the setting that failed.
  static JobObject create(const JobLimits& limits);

  // Must be called while the process is still suspended, before it can create children outside the job.
  void assign(HANDLE process) const;
  // Ends every process in the job. Idempotent.
  void terminate(UINT exit_code) const;
  std::uint32_t active_processes() const;
  // The next notification from the job's completion port, waiting up to timeout_ms; nullopt when none came.
  std::optional<JobEvent> next_event(DWORD timeout_ms) const;
  // Waits up to timeout_ms until the job has no process left. Consumes the port's events.
  void wait_until_empty(DWORD timeout_ms) const;

  HANDLE handle() const { return job_.get(); }

 private:
  JobObject(UniqueHandle job, UniqueHandle port) : job_(std::move(job)), port_(std::move(port)) {}

  UniqueHandle job_;
  UniqueHandle port_;
};

}  // namespace airlock::sandbox::windows
