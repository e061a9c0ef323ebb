#pragma once

// Inside the sandbox's init, once a step has failed: which of the run's limits ended it, from what the init can
// see. A limit is only blamed for a step that failed (a non-zero exit code or a signal): a program that met a
// limit and coped with it succeeded.
//
//   cpu        SIGXCPU at the soft RLIMIT_CPU, or SIGKILL once the CPU time reached the hard one.
//   disk       SIGXFSZ at RLIMIT_FSIZE, or /tmp (which holds the home folder and /dev/shm) full, no block or
//              no inode left, when the step ended: the program itself only saw ENOSPC.
//   memory     under RLIMIT_DATA only (a cgroup reports for itself, run_cgroup.h): the program saw an allocation
//              refused (MemoryError, ENOMEM, std::bad_alloc and abort, a null pointer and SIGSEGV), which the
//              kernel does not record anywhere. Blamed when the step's peak resident memory reached three
//              quarters of the limit; a program that asked for more than the limit at once, then failed with
//              little memory in use, goes unnamed.
//   processes  under RLIMIT_NPROC only (a cgroup counts refused forks itself): the sandbox was at the limit when
//              the step ended, its leftovers still filling every place but the step's own, as the kernel's own
//              count says. A bomb whose processes all ended first goes unnamed.
//
// Allocates nothing.

#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <optional>

#include "sandbox/backend.h"
#include "sandbox/linux/launch_plan.h"

namespace airlock::sandbox::linux_backend {

struct FailedStep {
  int signal = 0;                 // the signal that ended it; 0 when it exited with a non-zero code
  const rusage* usage = nullptr;  // of the step and every descendant it waited for
};

// Writes why into message (a sentence naming the limit and its size).
std::optional<LimitKind> limit_behind_failure(const FailedStep& step, const LaunchPlan& plan, char* message,
                                              std::size_t message_size);

// Once a step has succeeded: whether the run was at its process limit under RLIMIT_NPROC all the same (a fork bomb
// whose first process ended by itself), which the result then notes without blaming the limit. Writes the note.
bool process_limit_met(const LaunchPlan& plan, char* message, std::size_t message_size);

// "64 MiB", "4 KiB" or "1000 bytes".
void format_size(char* out, std::size_t size, std::int64_t bytes);

}  // namespace airlock::sandbox::linux_backend
