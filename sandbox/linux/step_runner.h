#pragma once

// Inside the sandbox's init: runs one step of the launch plan to its end. The step runs in its own session with
// the sandbox's stdio as fds 0-2 and nothing else, the resource limits applied, in the plan's working folder
// and with exactly the plan's environment. Whether exec worked is learned from a close-on-exec pipe, never
// guessed; meanwhile the init reaps every orphan of the sandbox that exits.

#include "sandbox/linux/init_report.h"
#include "sandbox/linux/launch_plan.h"

namespace airlock::sandbox::linux_backend {

// Only the last step, the program itself, reads the sandbox's stdin; the steps before it (compilers) read
// /dev/null, so they cannot consume input meant for the program.
enum class StepInput { sandbox_stdin, nothing };

// The report that ends the run if this step does not exit 0.
InitReport run_step(const PlannedStep& step, StepInput input, const LaunchPlan& plan);

}  // namespace airlock::sandbox::linux_backend
