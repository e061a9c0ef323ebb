#pragma once

// Per-process limits set right before exec. Soft and hard limits are equal, so the program cannot raise them;
// only the CPU limit keeps one second between them: SIGXCPU at the soft limit tells the run ended on its CPU
// budget, SIGKILL at the hard limit ends a program that ignores SIGXCPU.
//
// Memory and processes are limits of the whole run where the run has cgroups (run_cgroup.h); otherwise they
// fall back to rlimits here:
//   RLIMIT_DATA   bounds each process's private writable memory (heap, anonymous mappings). Not RLIMIT_AS:
//                 runtimes such as V8 reserve far more address space than they use and would not start.
//                 Per process, so a run may use it once per process it holds.
//   RLIMIT_NPROC  bounds the run's processes (threads included) as a whole: since Linux 5.14 the kernel counts
//                 them per user namespace and uid, and every run has a user namespace of its own, so neither
//                 the host's processes of the same uid nor other runs count against it.

#include <cstdint>

#include "sandbox/linux/child_failure.h"
#include "sandbox/linux/run_cgroup.h"
#include "sandbox/policy.h"

namespace airlock::sandbox::linux_backend {

// The processes a sandbox may hold: the program's own, and the sandbox's init.
std::int64_t sandbox_task_limit(const Limits& limits);

bool apply_resource_limits(const Limits& limits, const CgroupLimits& cgroups, ChildFailure& failure);

}  // namespace airlock::sandbox::linux_backend
