#pragma once

// Moves protocol messages in and out of the server. The session only sees message bodies and JSON
// to send; framing and I/O live here, so the session can be driven by anything that carries bodies.

#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "protocol/framing.h"
#include "server/platform/stdio_streams.h"

namespace airlock::server {

class Transport {
 public:
  struct Handlers {
    std::function<void(std::string body)> on_message;
    std::function<void(const std::string& problem)> on_frame_error;
    std::function<void()> on_closed;  // the peer is gone: input ended or output broke
  };

  virtual ~Transport() = default;
  virtual void start(Handlers handlers) = 0;
  virtual void send(const nlohmann::json& message) = 0;
  // A message already written as JSON text, for the output notifications, which skip nlohmann::json.
  virtual void send_text(std::string_view json_text) = 0;
  // Bytes accepted by send() but not yet written; producers pause above a high-water mark.
  virtual std::size_t backlog_bytes() const = 0;
  // Calls `resume` once, when the backlog has dropped below the low-water mark (at once if it already has).
  virtual void when_drained(std::function<void()> resume) = 0;
  // Calls `done` once everything queued so far is written, or the output broke.
  virtual void when_idle(std::function<void()> done) = 0;
};

// LSP base framing over the server's stdin and stdout (descriptors on POSIX, handles on Windows), asynchronous on
// both sides.
class StdioTransport final : public Transport {
 public:
  StdioTransport(boost::asio::io_context& io, platform::StdioHandle input, platform::StdioHandle output,
                 std::size_t max_message_bytes = protocol::kDefaultMaxMessageBytes);
  ~StdioTransport() override;

  void start(Handlers handlers) override;
  void send(const nlohmann::json& message) override;
  void send_text(std::string_view json_text) override;
  std::size_t backlog_bytes() const override { return backlog_; }
  void when_drained(std::function<void()> resume) override;
  void when_idle(std::function<void()> done) override;

  static constexpr std::size_t kLowWaterBytes = 1u << 20;
  static constexpr std::size_t kHighWaterBytes = 4u << 20;
  // Frames queued behind a write in progress are joined up to this size (the pipe the server asks for), so a
  // client that falls behind is woken once per write of many frames instead of once per frame.
  static constexpr std::size_t kJoinedWriteBytes = 1u << 20;

 private:
  void read_more();
  void deliver_frames();
  void write_next();
  void close_once();
  void notify(std::vector<std::function<void()>>& waiters);

  boost::asio::io_context& io_;
  platform::InputStream input_;
  platform::OutputStream output_;
  protocol::FrameDecoder decoder_;
  Handlers handlers_;
  std::string read_buffer_;
  std::deque<std::string> queue_;
  // The buffer of the last finished write, emptied, for the next frames: a fresh buffer of a megabyte is given back
  // to the system when freed and faulted in page by page when refilled, which perf showed under the streaming copies.
  std::string spare_buffer_;
  std::size_t backlog_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  std::vector<std::function<void()>> drain_waiters_;
  std::vector<std::function<void()>> idle_waiters_;
};

}  // namespace airlock::server
