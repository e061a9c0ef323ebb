// Cancel latency: a run whose tree is 32 busy processes is cancelled with sandbox/cancel; measured from sending
// the request until sandbox/exited arrives, while those 32 processes compete with the server for the CPU.

#include <stdexcept>
#include <thread>

#include "bench/sample_stats.h"
#include "bench/scenarios.h"

namespace airlock::bench {
namespace {

constexpr int kTreeProcesses = 32;
// Lets the last forked loop get going, so the cancel meets a tree that is really busy.
constexpr auto kSettle = std::chrono::milliseconds(30);

std::vector<std::string> busy_tree_command() {
  return {"sh", "-c",
          "i=1; while [ $i -lt \"$1\" ]; do (while :; do :; done) & i=$((i+1)); done; echo ready; while :; do :; done",
          "sh", std::to_string(kTreeProcesses)};
}

}  // namespace

json measure_cancel_latency(BenchContext& context) {
  std::vector<double> samples_ms;
  for (int round = 0; round < context.iterations.cancel; ++round) {
    const std::string run_id = "cancel-" + std::to_string(round);
    json params = execute_params(context, busy_tree_command());
    params["runId"] = run_id;
    const long execute = context.server.start_request("sandbox/execute", params);
    context.events.wait_stdout(run_id, "ready\n");
    std::this_thread::sleep_for(kSettle);
    const auto sent = Clock::now();
    const json cancelled = context.server.request("sandbox/cancel", {{"runId", run_id}});
    const RunRecord record = context.events.wait_exited(run_id);
    samples_ms.push_back(milliseconds_between(sent, *record.exited_at));
    const json response = context.server.wait_response(execute);
    context.events.forget(run_id);
    if (cancelled["result"]["cancelled"] != true || record.exit_result["status"] != "cancelled" ||
        response["result"]["status"] != "cancelled") {
      throw std::runtime_error("cancel of " + run_id + " went wrong: " + cancelled.dump() + " " + response.dump());
    }
  }
  const SampleSummary latency = summarize(samples_ms);
  return {{"unit", "ms"},
          {"processes", kTreeProcesses},
          {"rounds", context.iterations.cancel},
          {"variants", {{"airlock", to_json(latency)}}},
          {"targets", {target_at_most("cancel: median until sandbox/exited", latency.median, 20.0, "ms")}}};
}

}  // namespace airlock::bench
