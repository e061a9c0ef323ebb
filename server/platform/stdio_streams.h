#pragma once

// The server's own stdin and stdout as asynchronous byte streams on the event loop, whatever the editor or the
// terminal connected them to. POSIX: Boost.Asio stream descriptors (regular files, which epoll cannot wait on, are
// read directly). Windows: a client's pipes are usually synchronous (CreatePipe, libuv's child ends), which
// overlapped I/O cannot drive, so each stream has one thread of its own that makes the blocking call and posts the
// result to the event loop.

#include <cstddef>
#include <functional>
#include <memory>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include "sandbox/process_handles.h"

namespace airlock::server::platform {

// A descriptor (POSIX) or a handle (Windows) of the process's standard streams; never closed by the streams below,
// which work on duplicates.
#ifdef _WIN32
using StdioHandle = HANDLE;
#else
using StdioHandle = int;
#endif
StdioHandle standard_input();
StdioHandle standard_output();

// Whether standard input is a terminal or a pipe that may deliver more while a program runs (`airlock run` then
// forwards it), rather than a file or the null device, which is read whole up front.
bool standard_input_streams();

using IoHandler = std::function<void(boost::system::error_code, std::size_t)>;

// Reads end with asio::error::eof at the end of input; after cancel() a pending read ends with operation_aborted.
class InputStream {
 public:
  InputStream(boost::asio::io_context& io, StdioHandle handle);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // One read at a time; buffer must stay valid until the handler runs.
  void async_read_some(boost::asio::mutable_buffer buffer, IoHandler handler);
  void cancel();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

class OutputStream {
 public:
  OutputStream(boost::asio::io_context& io, StdioHandle handle);
  ~OutputStream();
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;

  // Writes all of buffer (one write at a time); buffer must stay valid until the handler runs.
  void async_write(boost::asio::const_buffer buffer, IoHandler handler);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace airlock::server::platform
