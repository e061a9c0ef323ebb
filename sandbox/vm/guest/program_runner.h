#pragma once

// Runs the launch request's steps one after another and relays their stdio over the agent port while they run:
// stdout and stderr out as frames, stdin frames in to the program (the last step). When the run ends, whatever
// the program left behind is killed and its output drained before the final status is returned.

#include "sandbox/backend.h"
#include "sandbox/vm/agent_protocol.h"
#include "sandbox/vm/guest/agent_port.h"
#include "sandbox/vm/guest/run_cgroup.h"

namespace airlock::sandbox::vm::guest {

// Throws GuestError when the agent itself fails (not when a step fails: that is the returned status).
ExitStatus run_program(AgentPort& port, const LaunchRequest& request, const RunCgroup& cgroup);

}  // namespace airlock::sandbox::vm::guest
