#include "sandbox/windows/job_limits.h"

#include <algorithm>
#include <limits>

namespace airlock::sandbox::windows {

JobLimits job_limits_for(const Limits& limits, unsigned host_processors) {
  JobLimits job;
  job.active_processes = static_cast<std::uint32_t>(
      std::clamp<std::int64_t>(limits.max_processes, 1, std::numeric_limits<std::uint32_t>::max()));
  job.job_memory_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(limits.memory_bytes, 1 << 20));
  job.process_memory_bytes = job.job_memory_bytes;
  job.user_time_100ns = std::max<std::int64_t>(limits.cpu_seconds, 1) * 10'000'000;
  // One core stays free for the editor and the server, so a busy loop cannot freeze the machine.
  const unsigned cores = std::max(1u, host_processors);
  job.cpu_rate = cores == 1 ? 10000 : static_cast<std::uint32_t>(10000 * (cores - 1) / cores);
  return job;
}

}  // namespace airlock::sandbox::windows
