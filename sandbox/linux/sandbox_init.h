#pragma once

// The sandbox's init: the process clone_sandbox_init creates, PID 1 of the sandbox's pid namespace. It sets the
// sandbox up as one sequence of steps (most privileged first), reports ready or why not, runs the plan's steps
// in order, reports the final status and exits, which makes the kernel kill whatever still runs in the sandbox.

#include "sandbox/linux/launch_plan.h"

namespace airlock::sandbox::linux_backend {

// The init's ends of the pipes to the server, as numbered in the server (they are renumbered in the init).
struct InitChannels {
  int lifeline = -1;  // read end: a byte once the id maps are written; hangs up when the server dies
  int reports = -1;   // write end of the report pipe (init_report.h)
  int stdin_read = -1;
  int stdout_write = -1;
  int stderr_write = -1;
};

[[noreturn]] void run_sandbox_init(const LaunchPlan& plan, const InitChannels& channels);

}  // namespace airlock::sandbox::linux_backend
