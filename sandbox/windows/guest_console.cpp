#include "sandbox/windows/guest_console.h"

#include <array>
#include <atomic>

#include <spdlog/spdlog.h>

#include "sandbox/windows/manual_reset_event.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

constexpr DWORD kRetryOpenMs = 20;  // how often a pipe the VM does not serve yet is looked for again

}  // namespace

std::string GuestConsole::unique_pipe_name() {
  static std::atomic<unsigned> counter{0};
  return "\\\\.\\pipe\\airlock-console-" + std::to_string(::GetCurrentProcessId()) + "-" + std::to_string(++counter);
}

GuestConsole::GuestConsole(std::string pipe_name)
    : pipe_name_(std::move(pipe_name)),
      stop_(make_manual_reset_event("guest console stop")),
      closed_(make_manual_reset_event("guest console closed")),
      read_done_(make_manual_reset_event("guest console read")) {
  thread_ = std::thread([this] { read_until_stopped(); });
}

GuestConsole::~GuestConsole() {
  ::SetEvent(stop_.get());
  thread_.join();
}

std::string GuestConsole::tail() const {
  const std::lock_guard guard(lock_);
  return tail_.text();
}

UniqueHandle GuestConsole::open_when_served() {
  const std::wstring name = to_utf16(pipe_name_);
  for (;;) {
    UniqueHandle pipe(::CreateFileW(name.c_str(), GENERIC_READ, 0, nullptr, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, nullptr));
    if (pipe) return pipe;
    const DWORD error = ::GetLastError();
    if (error != ERROR_FILE_NOT_FOUND && error != ERROR_PIPE_BUSY) {
      spdlog::warn("the utility VM's console {} cannot be read: {}", pipe_name_, windows_error_text(error));
      return {};
    }
    if (::WaitForSingleObject(stop_.get(), kRetryOpenMs) == WAIT_OBJECT_0) return {};
  }
}

void GuestConsole::read_until_stopped() {
  const UniqueHandle pipe = open_when_served();
  if (!pipe) return;
  std::array<char, 4096> buffer{};
  for (;;) {
    OVERLAPPED overlapped{};
    overlapped.hEvent = read_done_.get();
    DWORD n = 0;
    bool read = ::ReadFile(pipe.get(), buffer.data(), static_cast<DWORD>(buffer.size()), nullptr, &overlapped);
    DWORD error = read ? ERROR_SUCCESS : ::GetLastError();
    if (read || error == ERROR_IO_PENDING) {
      if (!read) {
        const HANDLE waits[] = {read_done_.get(), stop_.get()};
        if (::WaitForMultipleObjects(2, waits, FALSE, INFINITE) != WAIT_OBJECT_0) ::CancelIoEx(pipe.get(), &overlapped);
      }
      // Waits for the read to be over, whether it completed or was cancelled: its buffer is ours again only then.
      read = ::GetOverlappedResult(pipe.get(), &overlapped, &n, TRUE);
      error = read ? ERROR_SUCCESS : ::GetLastError();
    }
    if (n > 0) {
      const std::lock_guard guard(lock_);
      tail_.append(std::string_view(buffer.data(), n));
    }
    if (error == ERROR_OPERATION_ABORTED || ::WaitForSingleObject(stop_.get(), 0) == WAIT_OBJECT_0) return;
    if (!read && error != ERROR_MORE_DATA) {
      // ERROR_BROKEN_PIPE: the VM is gone, and its console with it.
      if (error != ERROR_BROKEN_PIPE && error != ERROR_PIPE_NOT_CONNECTED)
        spdlog::warn("reading the utility VM's console {} failed: {}", pipe_name_, windows_error_text(error));
      ::SetEvent(closed_.get());
      return;
    }
    ::ResetEvent(read_done_.get());
  }
}

}  // namespace airlock::sandbox::windows
