#include "bench/server_connection.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "protocol/framing.h"

namespace airlock::bench {
namespace {

constexpr std::size_t kReadChunkBytes = 1 << 20;
constexpr auto kExitGrace = std::chrono::seconds(10);

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) throw std::system_error(errno, std::generic_category(), "writing to the server");
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::vector<std::string> serve_command(const std::string& binary, const std::string& config_file,
                                       const std::string& log_file) {
  std::vector<std::string> argv{binary, "serve", "--log-file", log_file, "--log-level", "warn"};
  if (!config_file.empty()) {
    argv.push_back("--config");
    argv.push_back(config_file);
  }
  return argv;
}

}  // namespace

ServerConnection::ServerConnection(const std::string& airlock_binary, const std::string& config_file,
                                   const std::string& log_file) {
  Pipe requests = make_pipe();
  Pipe replies = make_pipe();
  server_ = std::make_unique<ChildProcess>(serve_command(airlock_binary, config_file, log_file),
                                           ChildStdio{.stdin_fd = requests.read.get(), .stdout_fd = replies.write.get()});
  to_server_ = std::move(requests.write);
  from_server_ = std::move(replies.read);
  reader_ = std::thread([this] { read_messages(); });
  const json initialized = request("initialize", {{"processId", ::getpid()}, {"capabilities", json::object()}});
  if (!initialized.contains("result")) throw std::runtime_error("initialize failed: " + initialized.dump());
  notify("initialized", json::object());
}

ServerConnection::~ServerConnection() {
  try {
    wait_response(start_request("shutdown", nullptr), std::chrono::seconds(10));
    notify("exit", nullptr);
  } catch (const std::exception&) {
    // The server is killed below either way.
  }
  to_server_.reset();
  const auto deadline = Clock::now() + kExitGrace;
  int status = 0;
  while (::waitpid(server_->pid(), &status, WNOHANG) == 0 && Clock::now() < deadline) ::usleep(10'000);
  server_.reset();
  reader_.join();
}

void ServerConnection::on_notifications(Handlers handlers) {
  std::lock_guard lock(mutex_);
  handlers_ = std::make_shared<const Handlers>(std::move(handlers));
}

std::shared_ptr<const ServerConnection::Handlers> ServerConnection::handlers() const {
  std::lock_guard lock(mutex_);
  return handlers_;
}

void ServerConnection::send(const json& message) {
  const std::string frame = protocol::encode_frame(message.dump());
  std::lock_guard lock(send_mutex_);
  write_all(to_server_.get(), frame);
}

long ServerConnection::start_request(const std::string& method, json params) {
  long id;
  {
    std::lock_guard lock(mutex_);
    id = next_id_++;
  }
  json message{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  send(message);
  return id;
}

void ServerConnection::notify(const std::string& method, json params) {
  json message{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) message["params"] = std::move(params);
  send(message);
}

json ServerConnection::wait_response(long id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool answered = changed_.wait_for(lock, timeout, [&] { return responses_.contains(id) || server_gone_; });
  if (!responses_.contains(id)) {
    throw std::runtime_error("no response to request " + std::to_string(id) +
                             (answered ? ": the server closed its output" : " within the time allowed"));
  }
  json response = std::move(responses_[id]);
  responses_.erase(id);
  return response;
}

json ServerConnection::request(const std::string& method, json params) {
  return wait_response(start_request(method, std::move(params)));
}

void ServerConnection::read_messages() {
  protocol::FrameDecoder decoder;
  std::string chunk(kReadChunkBytes, '\0');
  while (true) {
    const ssize_t got = ::read(from_server_.get(), chunk.data(), chunk.size());
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    const auto arrived = Clock::now();
    decoder.feed(std::string_view(chunk.data(), static_cast<std::size_t>(got)));
    while (auto next = decoder.next()) {
      if (auto* body = std::get_if<std::string>(&*next)) deliver(*body, arrived);
    }
  }
  std::lock_guard lock(mutex_);
  server_gone_ = true;
  changed_.notify_all();
}

// False when the body is not a sandbox/output notification (or not one this reader understands).
bool ServerConnection::deliver_output(const std::string& body) {
  const simdjson::padded_string padded(body);
  simdjson::ondemand::document message;
  std::string_view method;
  if (output_parser_.iterate(padded).get(message) != simdjson::SUCCESS ||
      message.find_field_unordered("method").get_string().get(method) != simdjson::SUCCESS ||
      method != "sandbox/output") {
    return false;
  }
  simdjson::ondemand::object params;
  OutputNotification output;
  if (message.find_field_unordered("params").get_object().get(params) != simdjson::SUCCESS ||
      params.find_field_unordered("runId").get_string().get(output.run_id) != simdjson::SUCCESS ||
      params.find_field_unordered("seq").get_int64().get(output.seq) != simdjson::SUCCESS ||
      params.find_field_unordered("stream").get_string().get(output.stream) != simdjson::SUCCESS ||
      params.find_field_unordered("text").get_string().get(output.text) != simdjson::SUCCESS) {
    return false;
  }
  if (auto current = handlers(); current && current->output) current->output(output);
  return true;
}

void ServerConnection::deliver(const std::string& body, Clock::time_point arrived) {
  if (deliver_output(body)) return;
  json message = json::parse(body, nullptr, false);
  if (message.is_discarded()) return;
  if (message.contains("method")) {
    if (auto current = handlers(); current && current->other) current->other(message, arrived);
    return;
  }
  if (!message.contains("id") || !message["id"].is_number_integer()) return;
  const long id = message["id"].get<long>();
  std::lock_guard lock(mutex_);
  responses_[id] = std::move(message);
  changed_.notify_all();
}

}  // namespace airlock::bench
