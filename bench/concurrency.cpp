// Concurrency: 32 runs started at once, each writing numbered lines, against the same 32 runs one after
// another. Every run's stdout must arrive complete and in order, with consecutive sequence numbers.

#include <cmath>
#include <stdexcept>

#include "bench/sample_stats.h"
#include "bench/scenarios.h"

namespace airlock::bench {
namespace {

constexpr int kLinesPerRun = 2000;

std::vector<std::string> numbered_lines_command(const std::string& tag) {
  return {"sh", "-c", "i=0; while [ $i -lt \"$2\" ]; do echo \"$1 line $i\"; i=$((i+1)); done", "sh", tag,
          std::to_string(kLinesPerRun)};
}

std::string expected_output(const std::string& tag) {
  std::string text;
  for (int i = 0; i < kLinesPerRun; ++i) text += tag + " line " + std::to_string(i) + "\n";
  return text;
}

void check_run(BenchContext& context, const std::string& run_id) {
  const RunRecord record = context.events.wait_exited(run_id);
  context.events.forget(run_id);
  if (record.exit_result["status"] != "ok" || !record.seq_in_order || record.stdout_text != expected_output(run_id)) {
    throw std::runtime_error("run " + run_id + " lost or reordered output (status " +
                             record.exit_result["status"].dump() + ", " + std::to_string(record.stdout_text.size()) +
                             " bytes, sequence " + (record.seq_in_order ? "in order" : "broken") + ")");
  }
}

json params_for(BenchContext& context, const std::string& run_id) {
  json params = execute_params(context, numbered_lines_command(run_id));
  params["runId"] = run_id;
  return params;
}

double seconds_concurrent(BenchContext& context, int round) {
  const auto start = Clock::now();
  std::vector<std::pair<std::string, long>> requests;
  for (int k = 0; k < context.iterations.concurrent_runs; ++k) {
    const std::string run_id = "together-" + std::to_string(round) + "-" + std::to_string(k);
    requests.emplace_back(run_id, context.server.start_request("sandbox/execute", params_for(context, run_id)));
  }
  for (const auto& [run_id, request] : requests) finished_run_id(context.server.wait_response(request));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const auto& [run_id, request] : requests) check_run(context, run_id);
  return seconds;
}

double seconds_sequential(BenchContext& context, int round) {
  double seconds = 0;
  for (int k = 0; k < context.iterations.concurrent_runs; ++k) {
    const std::string run_id = "alone-" + std::to_string(round) + "-" + std::to_string(k);
    const auto start = Clock::now();
    finished_run_id(context.server.request("sandbox/execute", params_for(context, run_id)));
    seconds += std::chrono::duration<double>(Clock::now() - start).count();
    check_run(context, run_id);
  }
  return seconds;
}

}  // namespace

json measure_concurrency(BenchContext& context) {
  std::vector<double> together, alone;
  for (int round = 0; round < context.iterations.concurrency_rounds; ++round) {
    if (round % 2 == 0) together.push_back(seconds_concurrent(context, round));
    alone.push_back(seconds_sequential(context, round));
    if (round % 2 != 0) together.push_back(seconds_concurrent(context, round));
  }
  const SampleSummary concurrent = summarize(together);
  const SampleSummary sequential = summarize(alone);
  const double speedup = sequential.median / concurrent.median;
  return {{"unit", "s"},
          {"runs", context.iterations.concurrent_runs},
          {"lines_per_run", kLinesPerRun},
          {"rounds", context.iterations.concurrency_rounds},
          {"variants", {{"concurrent", to_json(concurrent)}, {"sequential", to_json(sequential)}}},
          {"speedup", std::round(speedup * 100.0) / 100.0},
          {"output_intact", true},
          {"targets", {target_at_least("concurrency: sequential time / concurrent time", speedup, 1.0, "x")}}};
}

}  // namespace airlock::bench
