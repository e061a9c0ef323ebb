#include "bench/bench_context.h"

#include <cmath>
#include <stdexcept>

namespace airlock::bench {
namespace {

json target(const std::string& name, double value, double limit, const std::string& unit, const char* comparison,
            bool met) {
  return {{"name", name}, {"value", std::round(value * 1000.0) / 1000.0}, {"limit", limit}, {"unit", unit},
          {"comparison", comparison}, {"met", met}};
}

}  // namespace

json execute_params(const BenchContext& context, std::vector<std::string> command) {
  return {{"workspaceFolder", context.workspace}, {"command", std::move(command)}};
}

RunRecord run_in_sandbox(BenchContext& context, std::vector<std::string> command, const std::string& expected_status) {
  const std::string run_id = finished_run_id(context.server.request("sandbox/execute", execute_params(context, command)));
  RunRecord record = context.events.wait_exited(run_id);
  context.events.forget(run_id);
  if (record.exit_result["status"] != expected_status) {
    throw std::runtime_error("run " + run_id + " of " + command.front() + " ended " + record.exit_result.dump() +
                             "; stderr: " + record.stderr_text);
  }
  return record;
}

double milliseconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

json target_at_most(const std::string& name, double value, double limit, const std::string& unit) {
  return target(name, value, limit, unit, "<=", value <= limit);
}

json target_at_least(const std::string& name, double value, double limit, const std::string& unit) {
  return target(name, value, limit, unit, ">=", value >= limit);
}

}  // namespace airlock::bench
