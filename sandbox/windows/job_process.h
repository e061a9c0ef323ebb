#pragma once

// A run's programs in its Job Object: the sandbox::Process of process isolation. The steps run one after another on
// the same stdio pipes (a compiler, then what it built); a step that does not exit 0 ends the run with its status.
// The run ends when its last program ends; whatever it left running in the job is killed then, as a PID
// namespace's children die with its init.
//
// An interactive run's programs are attached to a pseudoconsole instead of pipes, so that they see a console as a
// user at a terminal would give them (line-buffered prompts, echo of what is typed): the server's stdin pipe is
// typed into the console (console_input_relay.h), its stdout pipe carries the console's screen as VT sequences
// (what the programs wrote to stdout and stderr alike), and its stderr pipe ends at once. The console is closed when
// the run ends, which ends its output.

#include <memory>
#include <optional>
#include <vector>

#include "sandbox/backend.h"
#include "sandbox/windows/child_pipe.h"
#include "sandbox/windows/console_input_relay.h"
#include "sandbox/windows/job_object.h"
#include "sandbox/windows/process_exit_notice.h"
#include "sandbox/windows/process_launcher.h"
#include "sandbox/windows/pseudo_console.h"

namespace airlock::sandbox::windows {

enum class RunStdio { pipes, console };

class JobProcess final : public Process {
 public:
  // Creates the job from limits and starts the first step in it; the next one starts from poll().
  static std::unique_ptr<JobProcess> start(std::vector<ProcessLaunch> steps, const JobLimits& limits,
                                           RunStdio stdio = RunStdio::pipes);
  static std::unique_ptr<JobProcess> start(const ProcessLaunch& launch, const JobLimits& limits,
                                           RunStdio stdio = RunStdio::pipes) {
    return start(std::vector<ProcessLaunch>{launch}, limits, stdio);
  }
  ~JobProcess() override;

  UniqueHandle take_stdin() override { return std::move(stdin_.server); }
  UniqueHandle take_stdout() override { return std::move(stdout_.server); }
  UniqueHandle take_stderr() override { return std::move(stderr_.server); }
  // Process isolation has no overlay layer: the Windows backends refuse the overlay workspace.
  UniqueFd take_overlay_layer() override { return {}; }
  // Signalled when the current step has ended: poll() then starts the next one or reports the end.
  HANDLE wait_fd() const override { return exit_notice_.event(); }
  std::optional<ExitStatus> poll() override;
  void kill() override;
  // Kills the tree and waits up to timeout_ms until no process of it is left (its files are closed then).
  void end_and_wait(DWORD timeout_ms);

  DWORD pid() const { return current_.pid; }  // the current step's program
  const JobObject& job() const { return job_; }

 private:
  JobProcess(JobObject job, std::vector<ProcessLaunch> steps, RunStdio stdio);
  void attach_console();
  void start_next_step();
  void close_child_ends();
  void end_output();
  std::optional<LimitKind> limit_reached() const;

  JobObject job_;
  ChildPipe stdin_;
  ChildPipe stdout_;
  ChildPipe stderr_;
  std::optional<PseudoConsole> console_;
  std::unique_ptr<ConsoleInputRelay> console_input_;
  std::vector<ProcessLaunch> steps_;
  std::size_t next_step_ = 0;
  StartedProcess current_;
  ProcessExitNotice exit_notice_;
  bool killed_ = false;
  std::optional<ExitStatus> final_;
};

}  // namespace airlock::sandbox::windows
