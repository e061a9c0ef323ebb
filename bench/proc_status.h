#pragma once

// What /proc says about a process: memory, CPU time and open descriptors (the server's, during a benchmark).

#include <sys/types.h>

#include <cstdint>

namespace airlock::bench {

// VmRSS or VmHWM in KiB; throws when the process is gone.
std::int64_t resident_kib(pid_t pid);
std::int64_t peak_resident_kib(pid_t pid);
// User plus system CPU time of the process itself (not its children).
double cpu_seconds(pid_t pid);
std::int64_t open_descriptors(pid_t pid);

}  // namespace airlock::bench
