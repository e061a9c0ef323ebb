#pragma once

// What the server reported about each run, by run id: output text in arrival order, sequence numbers and the
// exit notification with the time it arrived. Fed by the connection's reader thread; waited on by scenarios.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "bench/server_connection.h"

namespace airlock::bench {

struct RunRecord {
  std::function<void(std::string_view text)> stdout_sink;  // when set, stdout is passed on, not kept
  std::string stdout_text;
  std::string stderr_text;
  std::int64_t next_seq = 0;
  bool seq_in_order = true;  // every output notification had the next sequence number
  std::optional<Clock::time_point> exited_at;
  json exit_result;
};

class RunEvents {
 public:
  // Starts receiving the connection's notifications (replacing any other receiver).
  explicit RunEvents(ServerConnection& connection);

  // Throws when the run has not exited within the timeout.
  RunRecord wait_exited(const std::string& run_id, std::chrono::milliseconds timeout = std::chrono::seconds(120));
  // Throws when the run's stdout does not contain `text` within the timeout.
  void wait_stdout(const std::string& run_id, const std::string& text,
                   std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Forgets a finished run, so a long benchmark does not keep every output.
  void forget(const std::string& run_id);
  // The run's stdout goes to `sink` (on the reader thread) instead of being kept; set before the run starts.
  void stream_stdout(const std::string& run_id, std::function<void(std::string_view text)> sink);

 private:
  void receive_output(const OutputNotification& output);
  void receive_exit(const json& message, Clock::time_point arrived);

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, RunRecord> runs_;
};

// The id of a run from an execute response, or an exception carrying the response when it failed.
std::string finished_run_id(const json& response);

}  // namespace airlock::bench
