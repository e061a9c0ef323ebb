#pragma once

// Drives a launched program's stdio the way the server will: Boost.Asio over the overlapped pipe handles.

#include <chrono>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/windows/stream_handle.hpp>

#include "sandbox/backend.h"

namespace airlock::windows_tests {

struct RunOutput {
  std::string out;
  std::string err;
};

// Writes input to the program's stdin, closes it, and reads stdout and stderr to their ends concurrently.
RunOutput exchange_stdio(sandbox::Process& process, const std::string& input);

// The program's first line of stdout (without the newline); takes its stdout.
std::string first_line(sandbox::Process& process);

// A conversation with a running program, as a user at a terminal has it: wait for what it shows, type, end input.
// Everything waits at most a given time, so that a program that never answers fails the test instead of hanging it.
class Conversation {
 public:
  // Takes the program's stdio and reads its stdout and stderr from then on.
  explicit Conversation(sandbox::Process& process);
  // Reads until stdout has shown text (true) or timeout has passed (false).
  bool wait_for(std::string_view text, std::chrono::milliseconds timeout);
  // Reads until stdout and stderr have ended (true) or timeout has passed (false).
  bool wait_for_end(std::chrono::milliseconds timeout);
  // Writes text to stdin; false if that did not finish within 10 s.
  bool type(const std::string& text);
  void end_input() { in_.close(); }
  const std::string& shown() const { return shown_; }    // what stdout carried so far
  const std::string& errors() const { return errors_; }  // what stderr carried so far

 private:
  void read(boost::asio::windows::stream_handle& stream, std::string& into, bool& ended);
  template <typename Done>
  bool run_until(Done done, std::chrono::milliseconds timeout);

  boost::asio::io_context io_;
  boost::asio::windows::stream_handle in_;
  boost::asio::windows::stream_handle out_;
  boost::asio::windows::stream_handle err_;
  std::string shown_;
  std::string errors_;
  bool shown_ended_ = false;
  bool errors_ended_ = false;
};

}  // namespace airlock::windows_tests
