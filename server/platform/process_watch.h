#pragma once

// The event loop's view of a running sandbox: its stdio pipes as asynchronous streams, and a wait on the handle the
// sandbox signals when poll() may have progress (sandbox::Process::wait_fd). POSIX: stream descriptors, the wait a
// readable descriptor. Windows: overlapped pipe handles, the wait a signalled object.

#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include "sandbox/process_handles.h"

#ifdef _WIN32
#include <boost/asio/windows/object_handle.hpp>
#include <boost/asio/windows/stream_handle.hpp>
#else
#include <boost/asio/posix/stream_descriptor.hpp>
#endif

namespace airlock::server::platform {

#ifdef _WIN32
using PipeStream = boost::asio::windows::stream_handle;
#else
using PipeStream = boost::asio::posix::stream_descriptor;
#endif

class ProcessWatch {
 public:
  explicit ProcessWatch(boost::asio::io_context& io) : watch_(io) {}

  // Watches a duplicate: the sandbox keeps its own handle.
  void assign(sandbox::WaitHandle handle);
  // Calls done once the handle is readable or signalled, or with operation_aborted after close().
  void async_wait(std::function<void(boost::system::error_code)> done);
  void close() {
    boost::system::error_code ignored;
    watch_.close(ignored);
  }

 private:
#ifdef _WIN32
  boost::asio::windows::object_handle watch_;
#else
  boost::asio::posix::stream_descriptor watch_;
#endif
};

}  // namespace airlock::server::platform
