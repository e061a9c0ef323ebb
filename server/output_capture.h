#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace airlock::server {

// Keeps the first `head` and the last `tail` bytes of a stream: enough for diagnostics, which sit at the
// start (compilers) or the end (tracebacks), with memory bounded whatever the program prints.
class OutputCapture {
 public:
  OutputCapture(std::size_t head, std::size_t tail) : head_limit_(head), tail_limit_(tail) {}
  void append(std::string_view text);
  // The kept text; an elided middle is marked by a line of its own.
  std::string text() const;

 private:
  std::size_t head_limit_;
  std::size_t tail_limit_;
  std::string head_;
  std::string tail_;
  bool elided_ = false;
};

}  // namespace airlock::server
