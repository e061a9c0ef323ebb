#pragma once

// A child process started with posix_spawn, owned until reaped: the benchmark's reference runs (plain spawn,
// bwrap, unshare, a producer into a pipe) and the server under test.

#include <sys/types.h>

#include <string>
#include <vector>

#include "sandbox/unique_fd.h"

namespace airlock::bench {

struct ChildStdio {
  int stdin_fd = -1;   // -1: /dev/null
  int stdout_fd = -1;  // -1: /dev/null
  int stderr_fd = -1;  // -1: /dev/null
};

class ChildProcess {
 public:
  // Throws std::system_error naming the program when it cannot be spawned.
  ChildProcess(const std::vector<std::string>& argv, ChildStdio stdio);
  ~ChildProcess();  // kills and reaps a child that is still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Blocks until the child ends; returns its wait status.
  int wait();

 private:
  pid_t pid_ = -1;
};

// Runs argv to its end with stdio on /dev/null; throws when it does not exit with code 0.
void run_to_success(const std::vector<std::string>& argv);

struct Pipe {
  sandbox::UniqueFd read;
  sandbox::UniqueFd write;
};
Pipe make_pipe();

}  // namespace airlock::bench
