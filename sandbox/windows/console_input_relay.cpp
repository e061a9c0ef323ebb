#include "sandbox/windows/console_input_relay.h"

#include <string>

#include "sandbox/windows/console_typing.h"
#include "sandbox/windows/manual_reset_event.h"

namespace airlock::sandbox::windows {
ConsoleInputRelay::ConsoleInputRelay(UniqueHandle from_server, UniqueHandle to_console)
    : from_server_(std::move(from_server)),
      to_console_(std::move(to_console)),
      stop_(make_manual_reset_event("console input relay stop")),
      read_done_(make_manual_reset_event("console input relay read")),
      thread_([this] { relay(); }) {}

ConsoleInputRelay::~ConsoleInputRelay() {
  ::SetEvent(stop_.get());
  thread_.join();
}

bool ConsoleInputRelay::type(const std::string& keys) {
  DWORD written = 0;
  // The console reads its input all the time; this fails only once it is gone.
  return keys.empty() || (::WriteFile(to_console_.get(), keys.data(), static_cast<DWORD>(keys.size()), &written,
                                      nullptr) &&
                          written == keys.size());
}

void ConsoleInputRelay::relay() {
  ConsoleTyping typing;
  char buffer[4096];
  for (;;) {
    OVERLAPPED read{};
    read.hEvent = read_done_.get();
    ::ResetEvent(read_done_.get());
    DWORD bytes = 0;
    if (!::ReadFile(from_server_.get(), buffer, sizeof buffer, nullptr, &read) && ::GetLastError() != ERROR_IO_PENDING) {
      type(typing.end_of_input());  // the server closed its end: the run's input is over
      return;
    }
    const HANDLE events[] = {read_done_.get(), stop_.get()};
    if (::WaitForMultipleObjects(2, events, FALSE, INFINITE) != WAIT_OBJECT_0) {
      ::CancelIoEx(from_server_.get(), &read);
      ::GetOverlappedResult(from_server_.get(), &read, &bytes, TRUE);  // the buffer is in use until then
      return;
    }
    if (!::GetOverlappedResult(from_server_.get(), &read, &bytes, FALSE)) {
      type(typing.end_of_input());
      return;
    }
    if (!type(typing.keys_for(std::string_view(buffer, bytes)))) return;
  }
}

}  // namespace airlock::sandbox::windows
