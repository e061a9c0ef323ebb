#include "sandbox/vm/guest/step_process.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "sandbox/vm/guest/guest_error.h"

namespace airlock::sandbox::vm::guest {
namespace {

constexpr int kStepCouldNotStart = 127;
constexpr std::size_t kMessageBytes = 512;

[[noreturn]] void report(int failure_fd, const char* format, const char* subject, const char* detail) {
  char message[kMessageBytes];
  const int length = std::snprintf(message, sizeof message, format, subject, detail);
  if (length > 0) {
    const ssize_t ignored = ::write(failure_fd, message, std::min<std::size_t>(static_cast<std::size_t>(length), sizeof message - 1));
    (void)ignored;
  }
  ::_exit(kStepCouldNotStart);
}

bool set_limit(int resource, rlim_t soft, rlim_t hard) {
  const rlimit limit{.rlim_cur = soft, .rlim_max = hard};
  return ::setrlimit(resource, &limit) == 0;
}

rlim_t at_least(std::int64_t value, rlim_t minimum) {
  return value < static_cast<std::int64_t>(minimum) ? minimum : static_cast<rlim_t>(value);
}

bool apply_limits(const Limits& limits) {
  const rlim_t cpu = at_least(limits.cpu_seconds, 1);
  const rlim_t file_size = at_least(limits.file_size_bytes, 0);
  const rlim_t open_files = at_least(limits.open_files, 3);
  return set_limit(RLIMIT_CPU, cpu, cpu + 1) && set_limit(RLIMIT_FSIZE, file_size, file_size) &&
         set_limit(RLIMIT_NOFILE, open_files, open_files) && set_limit(RLIMIT_CORE, 0, 0);
}

[[noreturn]] void exec_step(const std::vector<std::string>& argv, const LaunchRequest& request, const RunCgroup& cgroup,
                            StepStdio stdio, int failure_fd) {
  const char* program = argv.front().c_str();
  auto fail = [&](const char* call) { report(failure_fd, "%s: could not start: %s", program, (std::string(call) + " failed: " + std::strerror(errno)).c_str()); };
  if (::setsid() < 0) fail("setsid");
  if (!cgroup.join()) fail("joining the run's cgroup");
  if (::dup2(stdio.input, 0) < 0 || ::dup2(stdio.output, 1) < 0 || ::dup2(stdio.error, 2) < 0) fail("dup2");
  if (::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) fail("close_range");
  if (::setgroups(0, nullptr) != 0 || ::setgid(request.gid) != 0 || ::setuid(request.uid) != 0) fail("becoming the sandbox user");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("prctl(PR_SET_NO_NEW_PRIVS)");
  if (!apply_limits(request.limits)) fail("setrlimit");
  if (::chdir(request.cwd.c_str()) != 0) report(failure_fd, "%s: could not start: working folder %s does not exist", program, request.cwd.c_str());

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  std::string search_path = "/usr/bin:/bin";
  for (const auto& [name, value] : request.env) {
    env_strings.push_back(name + "=" + value);
    if (name == "PATH") search_path = value;
  }
  std::vector<char*> env;
  for (auto& entry : env_strings) env.push_back(entry.data());
  env.push_back(nullptr);
  // execvpe searches the caller's PATH, not the new environment's.
  ::setenv("PATH", search_path.c_str(), 1);
  ::execvpe(program, args.data(), env.data());
  const int error = errno;
  if (error == ENOENT && argv.front().find('/') == std::string::npos)
    report(failure_fd, "%s: not found in the sandbox (PATH=%s)", program, search_path.c_str());
  if (error == ENOENT) report(failure_fd, "%s: not found in the sandbox%s", program, "");
  report(failure_fd, "%s: cannot be executed in the sandbox: %s", program, std::strerror(error));
}

}  // namespace

StartedStep start_step(const std::vector<std::string>& argv, const LaunchRequest& request, const RunCgroup& cgroup,
                       StepStdio stdio) {
  if (argv.empty() || argv.front().empty()) throw GuestError("guest agent: a step has no program");
  int failure_pipe[2];
  if (::pipe2(failure_pipe, O_CLOEXEC) != 0) fail_call("pipe2", "starting " + argv.front());
  UniqueFd failure_read(failure_pipe[0]);
  UniqueFd failure_write(failure_pipe[1]);
  const pid_t pid = ::fork();
  if (pid < 0) fail_call("fork", "starting " + argv.front());
  if (pid == 0) exec_step(argv, request, cgroup, stdio, failure_write.get());
  return StartedStep{.pid = pid, .failure = std::move(failure_read)};
}

std::string read_start_failure(int failure_fd) {
  char message[kMessageBytes] = {};
  ssize_t got;
  do {
    got = ::read(failure_fd, message, sizeof message - 1);
  } while (got < 0 && errno == EINTR);
  return got > 0 ? std::string(message, static_cast<std::size_t>(got)) : std::string();
}

}  // namespace airlock::sandbox::vm::guest
