#include "sandbox/windows/console_typing.h"

namespace airlock::sandbox::windows {

std::string ConsoleTyping::keys_for(std::string_view text) {
  std::string keys;
  keys.reserve(text.size());
  for (const char c : text) {
    const bool newline_of_crlf = c == '\n' && after_carriage_return_;
    after_carriage_return_ = c == '\r';
    if (newline_of_crlf) continue;
    keys.push_back(c == '\n' ? '\r' : c);
    at_line_start_ = c == '\n' || c == '\r';
  }
  return keys;
}

std::string ConsoleTyping::end_of_input() {
  std::string keys = at_line_start_ ? "" : "\r";
  keys += "\x1a\r";
  at_line_start_ = true;
  after_carriage_return_ = false;
  return keys;
}

}  // namespace airlock::sandbox::windows
