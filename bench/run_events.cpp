#include "bench/run_events.h"

#include <stdexcept>

namespace airlock::bench {

RunEvents::RunEvents(ServerConnection& connection) {
  connection.on_notifications({
      .output = [this](const OutputNotification& output) { receive_output(output); },
      .other = [this](const json& message, Clock::time_point arrived) { receive_exit(message, arrived); },
  });
}

void RunEvents::receive_output(const OutputNotification& output) {
  std::lock_guard lock(mutex_);
  RunRecord& run = runs_[std::string(output.run_id)];
  run.seq_in_order = run.seq_in_order && output.seq == run.next_seq;
  run.next_seq = output.seq + 1;
  if (output.stream != "stdout") {
    run.stderr_text += output.text;
  } else if (run.stdout_sink) {
    run.stdout_sink(output.text);
  } else {
    run.stdout_text += output.text;
  }
  changed_.notify_all();
}

void RunEvents::receive_exit(const json& message, Clock::time_point arrived) {
  if (message["method"] != "sandbox/exited") return;
  const json& params = message["params"];
  std::lock_guard lock(mutex_);
  RunRecord& run = runs_[params["runId"].get<std::string>()];
  run.exited_at = arrived;
  run.exit_result = params;
  changed_.notify_all();
}

RunRecord RunEvents::wait_exited(const std::string& run_id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, timeout, [&] { return runs_[run_id].exited_at.has_value(); })) {
    throw std::runtime_error("run " + run_id + " sent no sandbox/exited within " + std::to_string(timeout.count()) + " ms");
  }
  return runs_[run_id];
}

void RunEvents::wait_stdout(const std::string& run_id, const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool seen = changed_.wait_for(lock, timeout, [&] {
    const RunRecord& run = runs_[run_id];
    return run.stdout_text.find(text) != std::string::npos || run.exited_at.has_value();
  });
  if (!seen || runs_[run_id].stdout_text.find(text) == std::string::npos) {
    throw std::runtime_error("run " + run_id + " did not print \"" + text + "\"; stderr: " + runs_[run_id].stderr_text);
  }
}

void RunEvents::forget(const std::string& run_id) {
  std::lock_guard lock(mutex_);
  runs_.erase(run_id);
}

void RunEvents::stream_stdout(const std::string& run_id, std::function<void(std::string_view text)> sink) {
  std::lock_guard lock(mutex_);
  runs_[run_id].stdout_sink = std::move(sink);
}

std::string finished_run_id(const json& response) {
  if (!response.contains("result")) throw std::runtime_error("sandbox/execute failed: " + response.dump());
  return response["result"]["runId"].get<std::string>();
}

}  // namespace airlock::bench
