#pragma once

// What a run's input becomes when it is typed into a Windows console rather than written to a pipe. A console
// ends a line on Enter, which is "\r", so every "\n" or "\r\n" of the input becomes one "\r"; and it has no end of
// input to close: Ctrl+Z (0x1A) then Enter at the start of a line is what console programs read as end of file
// (the C runtime, Python's input(), cmd's "set /p"), while closing the console's input would end the whole
// console and kill its programs. Pure logic; the pseudoconsole's relay (console_input_relay.h) feeds it.

#include <string>
#include <string_view>

namespace airlock::sandbox::windows {

class ConsoleTyping {
 public:
  // The keystrokes for the next piece of input; a "\r\n" split across two pieces still gives one Enter.
  std::string keys_for(std::string_view text);
  // The keystrokes that end the input: Enter first when a line was left unfinished, then Ctrl+Z and Enter.
  std::string end_of_input();

 private:
  bool after_carriage_return_ = false;
  bool at_line_start_ = true;
};

}  // namespace airlock::sandbox::windows
