#pragma once

// What every scenario gets: the server under test, its run events, a workspace, the iteration counts, and the
// way each scenario states its targets.

#include <chrono>
#include <string>
#include <vector>

#include "bench/run_events.h"
#include "bench/server_connection.h"

namespace airlock::bench {

struct Iterations {
  int start_latency = 200;
  int streaming_rounds = 5;
  std::int64_t streaming_bytes = 256ll << 20;
  int cancel = 30;
  int concurrency_rounds = 3;
  int concurrent_runs = 32;
  int sequential_runs = 1000;
};

struct BenchContext {
  ServerConnection& server;
  RunEvents& events;
  std::string workspace;
  Iterations iterations;
  std::int64_t idle_rss_kib = 0;  // the server's, right after initialize
};

// sandbox/execute params for `command` in the context's workspace.
json execute_params(const BenchContext& context, std::vector<std::string> command);

// Runs `command` in the sandbox to its end; throws unless its status is `expected_status`.
RunRecord run_in_sandbox(BenchContext& context, std::vector<std::string> command, const std::string& expected_status = "ok");

double milliseconds_between(Clock::time_point from, Clock::time_point to);

// A target the benchmark checks: {"name", "value", "limit", "unit", "comparison", "met"}.
json target_at_most(const std::string& name, double value, double limit, const std::string& unit);
json target_at_least(const std::string& name, double value, double limit, const std::string& unit);

}  // namespace airlock::bench
