// Server memory and descriptors over many sequential runs: after a warm-up (allocator pools, lazily loaded
// code), a long series of runs must leave the server as it was.

#include "bench/proc_status.h"
#include "bench/scenarios.h"

namespace airlock::bench {
namespace {

constexpr int kWarmUpRuns = 50;
// Allocator noise: freed memory is not always handed back at once.
constexpr double kAllowedGrowthKib = 1024;

void run_many(BenchContext& context, int count) {
  for (int i = 0; i < count; ++i) run_in_sandbox(context, {"/bin/true"});
}

}  // namespace

json measure_memory_over_runs(BenchContext& context) {
  const pid_t server = context.server.server_pid();
  run_many(context, kWarmUpRuns);
  const std::int64_t rss_before = resident_kib(server);
  const std::int64_t fds_before = open_descriptors(server);
  const auto start = Clock::now();
  run_many(context, context.iterations.sequential_runs);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const std::int64_t rss_after = resident_kib(server);
  const std::int64_t fds_after = open_descriptors(server);
  const double growth_kib = static_cast<double>(rss_after - rss_before);
  return {{"runs", context.iterations.sequential_runs},
          {"seconds", seconds},
          {"server_rss_idle_kib", context.idle_rss_kib},
          {"server_rss_before_kib", rss_before},
          {"server_rss_after_kib", rss_after},
          {"server_fds_before", fds_before},
          {"server_fds_after", fds_after},
          {"targets",
           {target_at_most("memory: server RSS growth over the runs", growth_kib, kAllowedGrowthKib, "KiB"),
            target_at_most("memory: server descriptors gained over the runs", static_cast<double>(fds_after - fds_before),
                           0, "fds")}}};
}

}  // namespace airlock::bench
