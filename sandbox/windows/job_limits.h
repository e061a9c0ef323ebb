#pragma once

// What a run's Job Object enforces, derived from the platform-neutral Limits. Kept free of Windows types so that
// the derivation is tested on every platform; job_object.cpp turns it into JOBOBJECT_* structures.

#include <cstdint>

#include "sandbox/policy.h"

namespace airlock::sandbox::windows {

struct JobLimits {
  std::uint32_t active_processes = 1;
  std::uint64_t job_memory_bytes = 0;     // committed memory of the whole tree
  std::uint64_t process_memory_bytes = 0; // committed memory of any one process
  std::int64_t user_time_100ns = 0;       // CPU time of the whole tree, in 100 ns units
  std::uint32_t cpu_rate = 10000;         // hard cap, in 1/100 of a percent of the whole machine; 0: no cap
  // Always on: closing the job's last handle (also when the server dies) kills the tree; a crashing program ends
  // instead of waiting on an error dialog; no process may leave the job.
  bool kill_on_job_close = true;
  bool die_on_unhandled_exception = true;
  bool allow_breakaway = false;
  // Always on: no access to other processes' windows and USER handles, the clipboard, global atoms, display
  // settings, system parameters, desktops, or logging off the user.
  bool restrict_ui = true;
};

JobLimits job_limits_for(const Limits& limits, unsigned host_processors);

}  // namespace airlock::sandbox::windows
