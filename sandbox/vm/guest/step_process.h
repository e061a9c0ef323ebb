#pragma once

// One step of the run as a child of the agent: in the run's cgroup, as the sandbox user, with the run's limits,
// in its own session, with the given stdio. A step that cannot start says why through its failure pipe.

#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/guest/run_cgroup.h"

namespace airlock::sandbox::vm::guest {

struct StepStdio {
  int input;
  int output;
  int error;
};

struct StartedStep {
  pid_t pid = -1;
  UniqueFd failure;  // read end: a message when the step could not start; EOF once it runs
};

// Throws GuestError when fork itself fails.
StartedStep start_step(const std::vector<std::string>& argv, const LaunchRequest& request, const RunCgroup& cgroup,
                       StepStdio stdio);

// What the failure pipe said, or empty when the step ran.
std::string read_start_failure(int failure_fd);

}  // namespace airlock::sandbox::vm::guest
