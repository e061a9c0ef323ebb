#include "bench/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

extern char** environ;

namespace airlock::bench {
namespace {

// posix_spawn's file actions, freed however the spawn ends.
class SpawnActions {
 public:
  SpawnActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~SpawnActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  SpawnActions(const SpawnActions&) = delete;
  SpawnActions& operator=(const SpawnActions&) = delete;

  void redirect(int from, int to, int open_flags) {
    if (from >= 0) {
      ::posix_spawn_file_actions_adddup2(&actions_, from, to);
    } else {
      ::posix_spawn_file_actions_addopen(&actions_, to, "/dev/null", open_flags, 0);
    }
  }
  const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, ChildStdio stdio) {
  std::vector<char*> pointers;
  for (const auto& arg : argv) pointers.push_back(const_cast<char*>(arg.c_str()));
  pointers.push_back(nullptr);
  SpawnActions actions;
  actions.redirect(stdio.stdin_fd, STDIN_FILENO, O_RDONLY);
  actions.redirect(stdio.stdout_fd, STDOUT_FILENO, O_WRONLY);
  actions.redirect(stdio.stderr_fd, STDERR_FILENO, O_WRONLY);
  const int error = ::posix_spawnp(&pid_, pointers[0], actions.get(), nullptr, pointers.data(), environ);
  if (error != 0) throw std::system_error(error, std::generic_category(), "posix_spawnp " + argv.front());
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

int ChildProcess::wait() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
  }
  pid_ = -1;
  return status;
}

void run_to_success(const std::vector<std::string>& argv) {
  ChildProcess child(argv, {});
  const int status = child.wait();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(argv.front() + " did not succeed (wait status " + std::to_string(status) +
                             "); run it by hand to see why");
  }
}

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  return {sandbox::UniqueFd(fds[0]), sandbox::UniqueFd(fds[1])};
}

}  // namespace airlock::bench
