#include "server/platform/stdio_streams.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace airlock::server::platform {

namespace asio = boost::asio;

namespace {

bool is_regular_file(int fd) {
  struct stat st {};
  return ::fstat(fd, &st) == 0 && !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) && !S_ISCHR(st.st_mode);
}

// Duplicates, so that closing a stream never closes the process's own standard descriptors.
int duplicate(int fd) { return ::fcntl(fd, F_DUPFD_CLOEXEC, 3); }

}  // namespace

StdioHandle standard_input() { return STDIN_FILENO; }
StdioHandle standard_output() { return STDOUT_FILENO; }

bool standard_input_streams() {
  struct stat st {};
  return ::fstat(STDIN_FILENO, &st) == 0 && (::isatty(STDIN_FILENO) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode));
}

struct InputStream::State {
  State(asio::io_context& io, int fd) : io(io), descriptor(io), regular_file(is_regular_file(fd)) {
    descriptor.assign(duplicate(fd));
  }
  asio::io_context& io;
  asio::posix::stream_descriptor descriptor;
  bool regular_file;
  bool cancelled = false;
};

InputStream::InputStream(asio::io_context& io, StdioHandle handle) : state_(std::make_unique<State>(io, handle)) {}
InputStream::~InputStream() = default;

void InputStream::async_read_some(asio::mutable_buffer buffer, IoHandler handler) {
  if (!state_->regular_file) return state_->descriptor.async_read_some(buffer, std::move(handler));
  // epoll cannot wait on regular files; they never block, so read them directly, one chunk per turn.
  asio::post(state_->io, [state = state_.get(), buffer, handler = std::move(handler)] {
    if (state->cancelled) return handler(asio::error::operation_aborted, 0);
    ssize_t n = ::read(state->descriptor.native_handle(), buffer.data(), buffer.size());
    if (n < 0) return handler(boost::system::error_code(errno, boost::system::system_category()), 0);
    if (n == 0) return handler(asio::error::eof, 0);
    handler({}, static_cast<std::size_t>(n));
  });
}

void InputStream::cancel() {
  state_->cancelled = true;
  boost::system::error_code ignored;
  state_->descriptor.cancel(ignored);
}

// A pipe to the client that holds more than the default 64 KiB lets the server queue whole output notifications
// while the client is busy, instead of the two waking each other for every 64 KiB. A refusal (not a pipe, or the
// user's pipe memory is over /proc/sys/fs/pipe-user-pages-soft) keeps the default, which only costs speed.
constexpr int kOutputPipeBytes = 1 << 20;

struct OutputStream::State {
  State(asio::io_context& io, int fd) : descriptor(io) {
    ::fcntl(fd, F_SETPIPE_SZ, kOutputPipeBytes);
    descriptor.assign(duplicate(fd));
  }
  asio::posix::stream_descriptor descriptor;
};

OutputStream::OutputStream(asio::io_context& io, StdioHandle handle) : state_(std::make_unique<State>(io, handle)) {}
OutputStream::~OutputStream() = default;

void OutputStream::async_write(asio::const_buffer buffer, IoHandler handler) {
  asio::async_write(state_->descriptor, buffer, std::move(handler));
}

}  // namespace airlock::server::platform
