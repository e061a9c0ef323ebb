#pragma once

// What a running sandbox hands the server, in the platform's own terms: POSIX gives descriptors that the event loop
// polls; Windows gives overlapped pipe handles (Boost.Asio windows::stream_handle) and a handle that is signalled
// when there is progress (windows::object_handle).

#ifdef _WIN32
#include "sandbox/windows/unique_handle.h"
#else
#include "sandbox/unique_fd.h"
#endif

namespace airlock::sandbox {

#ifdef _WIN32
using PipeEnd = windows::UniqueHandle;
using WaitHandle = HANDLE;
#else
using PipeEnd = UniqueFd;
using WaitHandle = int;
#endif

}  // namespace airlock::sandbox
