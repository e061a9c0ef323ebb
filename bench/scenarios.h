#pragma once

// The five measurements of the benchmark. Each runs Airlock and its reference interleaved in the same
// invocation, and returns its figures and targets as JSON.

#include "bench/bench_context.h"

namespace airlock::bench {

json measure_start_latency(BenchContext& context);
json measure_streaming(BenchContext& context);
json measure_cancel_latency(BenchContext& context);
json measure_concurrency(BenchContext& context);
json measure_memory_over_runs(BenchContext& context);

}  // namespace airlock::bench
