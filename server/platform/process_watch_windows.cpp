#include "server/platform/process_watch.h"

#include "sandbox/windows/windows_error.h"

namespace airlock::server::platform {

void ProcessWatch::assign(sandbox::WaitHandle handle) {
  HANDLE copy = nullptr;
  if (!::DuplicateHandle(::GetCurrentProcess(), handle, ::GetCurrentProcess(), &copy, SYNCHRONIZE, FALSE, 0))
    sandbox::windows::throw_last_error("DuplicateHandle(sandbox wait handle)");
  watch_.assign(copy);
}

void ProcessWatch::async_wait(std::function<void(boost::system::error_code)> done) {
  watch_.async_wait(std::move(done));
}

}  // namespace airlock::server::platform
