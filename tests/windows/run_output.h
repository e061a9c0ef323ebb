#pragma once

// Drives a launched program's stdio the way the server will: Boost.Asio over the overlapped pipe handles.

#include <string>

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

}  // namespace airlock::windows_tests
