#include "server/transport.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace airlock::server {

namespace asio = boost::asio;

StdioTransport::StdioTransport(asio::io_context& io, platform::StdioHandle input, platform::StdioHandle output,
                               std::size_t max_message_bytes)
    : io_(io), input_(io, input), output_(io, output), decoder_(max_message_bytes) {
  read_buffer_.resize(64 * 1024);
}

StdioTransport::~StdioTransport() = default;

void StdioTransport::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  read_more();
}

void StdioTransport::read_more() {
  if (closed_) return;
  input_.async_read_some(asio::buffer(read_buffer_), [this](boost::system::error_code error, std::size_t n) {
    if (error) {
      if (error != asio::error::eof && error != asio::error::operation_aborted)
        spdlog::warn("reading the client's messages failed: {}", error.message());
      if (error != asio::error::operation_aborted) close_once();
      return;
    }
    decoder_.feed(std::string_view(read_buffer_.data(), n));
    deliver_frames();
    read_more();
  });
}

void StdioTransport::deliver_frames() {
  while (!closed_) {
    auto frame = decoder_.next();
    if (!frame) return;
    if (auto* body = std::get_if<std::string>(&*frame)) {
      handlers_.on_message(std::move(*body));
    } else {
      handlers_.on_frame_error(std::get<protocol::FrameError>(*frame).message);
    }
  }
}

void StdioTransport::send(const nlohmann::json& message) {
  send_text(message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void StdioTransport::send_text(std::string_view json_text) {
  if (closed_) return;
  // The front of the queue is being written; anything behind it can still grow.
  if (queue_.size() < 2 || queue_.back().size() + json_text.size() > kJoinedWriteBytes) {
    queue_.push_back(std::move(spare_buffer_));
    spare_buffer_.clear();
  }
  std::string& frames = queue_.back();
  const std::size_t size_before = frames.size();
  protocol::append_frame(frames, json_text);
  backlog_ += frames.size() - size_before;
  if (!writing_) write_next();
}

void StdioTransport::write_next() {
  if (queue_.empty() || closed_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  output_.async_write(asio::buffer(queue_.front()), [this](boost::system::error_code error, std::size_t) {
    if (error) {
      if (error != asio::error::operation_aborted) {
        spdlog::warn("writing to the client failed: {}", error.message());
        close_once();
      }
      writing_ = false;
      return;
    }
    backlog_ -= queue_.front().size();
    if (queue_.front().capacity() > spare_buffer_.capacity()) {
      spare_buffer_ = std::move(queue_.front());
      spare_buffer_.clear();
    }
    queue_.pop_front();
    if (backlog_ < kLowWaterBytes) notify(drain_waiters_);
    if (queue_.empty()) notify(idle_waiters_);
    write_next();
  });
}

void StdioTransport::notify(std::vector<std::function<void()>>& waiters) {
  for (auto& waiter : std::exchange(waiters, {})) asio::post(io_, std::move(waiter));
}

void StdioTransport::when_drained(std::function<void()> resume) {
  if (backlog_ < kLowWaterBytes || closed_) {
    asio::post(io_, std::move(resume));
    return;
  }
  drain_waiters_.push_back(std::move(resume));
}

void StdioTransport::when_idle(std::function<void()> done) {
  if (queue_.empty() || closed_) {
    asio::post(io_, std::move(done));
    return;
  }
  idle_waiters_.push_back(std::move(done));
}

void StdioTransport::close_once() {
  if (closed_) return;
  closed_ = true;
  input_.cancel();
  notify(drain_waiters_);
  notify(idle_waiters_);
  if (handlers_.on_closed) asio::post(io_, handlers_.on_closed);
}

}  // namespace airlock::server
