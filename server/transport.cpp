#include "server/transport.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace airlock::server {

namespace asio = boost::asio;

namespace {

constexpr int kOutputPipeBytes = 1 << 20;

}  // namespace

StdioTransport::StdioTransport(asio::io_context& io, int input_fd, int output_fd, std::size_t max_message_bytes)
    : io_(io), input_(io), output_(io), decoder_(max_message_bytes) {
  // Duplicates, so that closing the transport never closes the process's own standard descriptors.
  struct stat st {};
  input_is_regular_file_ = ::fstat(input_fd, &st) == 0 && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) && !S_ISCHR(st.st_mode);
  input_.assign(::fcntl(input_fd, F_DUPFD_CLOEXEC, 3));
  output_.assign(::fcntl(output_fd, F_DUPFD_CLOEXEC, 3));
  // A pipe to the client that holds more than the default 64 KiB lets the server queue whole output notifications
  // while the client is busy, instead of the two waking each other for every 64 KiB. A refusal (not a pipe, or the
  // user's pipe memory is over /proc/sys/fs/pipe-user-pages-soft) keeps the default, which only costs speed.
  ::fcntl(output_fd, F_SETPIPE_SZ, kOutputPipeBytes);
  read_buffer_.resize(64 * 1024);
}

StdioTransport::~StdioTransport() = default;

void StdioTransport::start(Handlers handlers) {
  handlers_ = std::move(handlers);
  read_more();
}

void StdioTransport::read_more() {
  if (closed_) return;
  if (input_is_regular_file_) {
    // epoll cannot wait on regular files; they never block, so read them directly, one chunk per turn.
    asio::post(io_, [this] {
      if (closed_) return;
      ssize_t n = ::read(input_.native_handle(), read_buffer_.data(), read_buffer_.size());
      if (n <= 0) return close_once();
      decoder_.feed(std::string_view(read_buffer_.data(), static_cast<std::size_t>(n)));
      deliver_frames();
      read_more();
    });
    return;
  }
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

void StdioTransport::send_text(std::string json_text) {
  if (closed_) return;
  std::string frame = protocol::encode_frame(json_text);
  backlog_ += frame.size();
  queue_.push_back(std::move(frame));
  if (!writing_) write_next();
}

void StdioTransport::write_next() {
  if (queue_.empty() || closed_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  asio::async_write(output_, asio::buffer(queue_.front()), [this](boost::system::error_code error, std::size_t) {
    if (error) {
      if (error != asio::error::operation_aborted) {
        spdlog::warn("writing to the client failed: {}", error.message());
        close_once();
      }
      writing_ = false;
      return;
    }
    backlog_ -= queue_.front().size();
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
  boost::system::error_code ignored;
  input_.cancel(ignored);
  notify(drain_waiters_);
  notify(idle_waiters_);
  if (handlers_.on_closed) asio::post(io_, handlers_.on_closed);
}

}  // namespace airlock::server
