#pragma once

// The benchmark's client: a real `airlock serve` child spoken to over pipes, as an editor would. A reader
// thread decodes frames as fast as the server writes them, so the client is not what limits a measurement:
// output notifications, the bulk of the traffic, are read with simdjson; the rest with nlohmann::json.

#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "bench/child_process.h"
#include "sandbox/unique_fd.h"

namespace airlock::bench {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// A sandbox/output notification; the views are valid only during the handler's call.
struct OutputNotification {
  std::string_view run_id;
  std::string_view stream;
  std::string_view text;
  std::int64_t seq = 0;
};

class ServerConnection {
 public:
  // Starts `airlock serve` (logging warnings to `log_file`) and initializes it.
  ServerConnection(const std::string& airlock_binary, const std::string& config_file, const std::string& log_file);
  // Shuts the server down; a server that does not exit in time is killed.
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  using NotificationHandler = std::function<void(const json& message, Clock::time_point arrived)>;
  using OutputHandler = std::function<void(const OutputNotification& output)>;
  struct Handlers {
    OutputHandler output;
    NotificationHandler other;
  };
  // Called on the reader thread for every notification; replace the previous handlers.
  void on_notifications(Handlers handlers);

  // Returns the request's id.
  long start_request(const std::string& method, json params);
  void notify(const std::string& method, json params);
  // The response (result or error member kept as sent); throws when none arrives in time or the server died.
  json wait_response(long id, std::chrono::milliseconds timeout = std::chrono::seconds(120));
  json request(const std::string& method, json params);

  pid_t server_pid() const { return server_->pid(); }

 private:
  void send(const json& message);
  void read_messages();
  void deliver(const std::string& body, Clock::time_point arrived);
  bool deliver_output(const std::string& body);
  std::shared_ptr<const Handlers> handlers() const;

  sandbox::UniqueFd to_server_;
  sandbox::UniqueFd from_server_;
  std::unique_ptr<ChildProcess> server_;
  std::thread reader_;
  std::mutex send_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<long, json> responses_;
  std::shared_ptr<const Handlers> handlers_;
  simdjson::ondemand::parser output_parser_;
  bool server_gone_ = false;
  long next_id_ = 1;
};

}  // namespace airlock::bench
