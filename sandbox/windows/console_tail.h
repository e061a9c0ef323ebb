#pragma once

// The last bytes a utility VM's guest wrote to its serial console, kept within a bound while the VM runs, so that a
// guest that dies before its agent connects (a kernel panic, a missing driver, an agent that cannot start) is
// reported with its own last words instead of only "did not connect".

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock::sandbox::windows {

class ConsoleTail {
 public:
  explicit ConsoleTail(std::size_t capacity) : capacity_(capacity) {}

  void append(std::string_view bytes);
  // What was kept, as text fit for a message: whole lines only where the front was dropped, carriage returns and
  // other control characters (but newlines and tabs) left out, bytes that are not UTF-8 as U+FFFD, without the
  // trailing blank lines. Empty when the guest wrote nothing.
  std::string text() const;

 private:
  std::size_t capacity_;
  std::string kept_;
  bool dropped_ = false;
};

}  // namespace airlock::sandbox::windows
