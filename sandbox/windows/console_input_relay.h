#pragma once

// Carries an interactive run's input from the server's stdin pipe into its pseudoconsole, as keystrokes
// (console_typing.h). The server ends a run's input by closing its pipe; the console must not see that close,
// which would end the console and its programs, so the relay types end of input instead and keeps the console's
// input open until the relay is destroyed.

#include <thread>

#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

class ConsoleInputRelay {
 public:
  // from_server: the overlapped end of the pipe the server writes to; to_console: the write end of the pipe the
  // pseudoconsole reads its input from.
  ConsoleInputRelay(UniqueHandle from_server, UniqueHandle to_console);
  ConsoleInputRelay(const ConsoleInputRelay&) = delete;
  ConsoleInputRelay& operator=(const ConsoleInputRelay&) = delete;
  // Stops the relay (input not yet read is dropped) and closes the console's input.
  ~ConsoleInputRelay();

 private:
  void relay();
  bool type(const std::string& keys);

  UniqueHandle from_server_;
  UniqueHandle to_console_;
  UniqueHandle stop_;
  UniqueHandle read_done_;
  std::thread thread_;
};

}  // namespace airlock::sandbox::windows
