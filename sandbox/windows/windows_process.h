#pragma once

// The Windows side of sandbox/backend.h's Process: the same contract with HANDLEs where Linux has descriptors.
// The smallest change to the shared interface, once the server's event loop runs on Windows handles, is to make
// Process's stdio and wait types platform aliases (UniqueFd/int on POSIX, UniqueHandle/HANDLE on Windows); until
// then the Windows backends implement this mirror, and backend.h stays as it is.

#include <windows.h>

#include <optional>

#include "sandbox/backend.h"
#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

class WindowsProcess {
 public:
  virtual ~WindowsProcess() = default;

  // Overlapped pipe handles (Boost.Asio windows::stream_handle); the caller takes ownership once.
  virtual UniqueHandle take_stdin() = 0;
  virtual UniqueHandle take_stdout() = 0;
  virtual UniqueHandle take_stderr() = 0;

  // Signalled whenever poll() may have progress to report (Boost.Asio windows::object_handle waits on it).
  virtual HANDLE wait_handle() const = 0;
  // Non-blocking; the final status once the sandbox has ended.
  virtual std::optional<ExitStatus> poll() = 0;
  // Kills the whole process tree at once. Idempotent; poll() then reports the end.
  virtual void kill() = 0;
};

}  // namespace airlock::sandbox::windows
