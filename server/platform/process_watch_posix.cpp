#include "server/platform/process_watch.h"

#include <fcntl.h>

namespace airlock::server::platform {

void ProcessWatch::assign(sandbox::WaitHandle handle) { watch_.assign(::fcntl(handle, F_DUPFD_CLOEXEC, 3)); }

void ProcessWatch::async_wait(std::function<void(boost::system::error_code)> done) {
  watch_.async_wait(boost::asio::posix::stream_descriptor::wait_read, std::move(done));
}

}  // namespace airlock::server::platform
