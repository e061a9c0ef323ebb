// How a Linux sandbox ends: on kill(), when its main program ends, when its Process is dropped and when the
// server dies. In every case nothing it started may survive, and the caller keeps no descriptor of it.

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>

#include "sandbox/linux/linux_backend.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

using namespace std::chrono_literals;

// A main program and a daemon that left the program's session and was orphaned by a double fork; both carry
// the token in their command line so they can be found from outside.
std::string daemon_and_main(const std::string& token, const std::string& main_part) {
  return "(setsid /bin/sh -c 'sleep 600; exit 0' " + token + "-daemon &); " + main_part;
}

bool both_running(const std::string& token) { return processes_with_token(token).size() >= 2; }
bool none_running(const std::string& token) { return processes_with_token(token).empty(); }

// A sandbox whose main program and daemon both sleep until killed, once both are seen running.
std::unique_ptr<Process> start_sleepers(const TempWorkspace& workspace, const std::string& token) {
  auto process = make_linux_backend()->start(
      shell_spec(workspace, daemon_and_main(token, "/bin/sh -c 'sleep 600; exit 0' " + token + "-main")));
  REQUIRE(wait_until([&] { return both_running(token); }, 5s));
  return process;
}

ExitStatus wait_for_end(Process& process) {
  while (true) {
    if (auto status = process.poll()) return *status;
    pollfd wait{.fd = process.wait_fd(), .events = POLLIN, .revents = 0};
    REQUIRE(::poll(&wait, 1, 10'000) == 1);
  }
}

TEST_CASE("sandbox: kill() ends the whole process tree, daemons included") {
  TempWorkspace workspace;
  const auto token = unique_token();
  auto process = start_sleepers(workspace, token);
  CHECK_FALSE(process->poll().has_value());
  process->kill();
  const auto status = wait_for_end(*process);
  CHECK(status.kind == ExitStatus::Kind::signaled);
  CHECK(status.signal == SIGKILL);
  CHECK(none_running(token));
  process->kill();  // idempotent after the end
  CHECK(process->poll()->signal == SIGKILL);
}

TEST_CASE("sandbox: a non-blocking wait_fd, as an event loop leaves it, changes nothing") {
  TempWorkspace workspace;
  const auto token = unique_token();
  auto process = start_sleepers(workspace, token);
  REQUIRE(::fcntl(process->wait_fd(), F_SETFL, O_NONBLOCK) == 0);
  CHECK_FALSE(process->poll().has_value());
  process->kill();
  CHECK(wait_for_end(*process).signal == SIGKILL);
  auto running = make_linux_backend()->start(shell_spec(workspace, "sleep 600"));
  REQUIRE(::fcntl(running->wait_fd(), F_SETFL, O_NONBLOCK) == 0);
  running.reset();
  CHECK(none_running(token));
}

TEST_CASE("sandbox: the end of the main program ends its daemons") {
  TempWorkspace workspace;
  const auto token = unique_token();
  auto process = make_linux_backend()->start(shell_spec(workspace, daemon_and_main(token, "sleep 0.3; exit 5")));
  REQUIRE(wait_until([&] { return !processes_with_token(token).empty(); }, 5s));
  const auto status = wait_for_end(*process);
  CHECK(status.kind == ExitStatus::Kind::exited);
  CHECK(status.code == 5);
  CHECK(none_running(token));
}

TEST_CASE("sandbox: dropping the Process kills and reaps the sandbox") {
  TempWorkspace workspace;
  const auto token = unique_token();
  auto process = start_sleepers(workspace, token);
  process.reset();
  CHECK(none_running(token));
}

TEST_CASE("sandbox: the sandbox dies with the server") {
  TempWorkspace workspace;
  const auto token = unique_token();
  int go[2];
  REQUIRE(::pipe(go) == 0);
  const pid_t server = ::fork();
  REQUIRE(server >= 0);
  if (server == 0) {
    ::close(go[1]);
    auto process = make_linux_backend()->start(
        shell_spec(workspace, daemon_and_main(token, "/bin/sh -c 'sleep 600; exit 0' " + token + "-main")));
    char byte;
    // Die abruptly, like a crashed server: no destructor runs.
    ::_exit(::read(go[0], &byte, 1) >= 0 ? 0 : 1);
  }
  ::close(go[0]);
  const bool started = wait_until([&] { return both_running(token); }, 5s);
  ::close(go[1]);
  int wait_status = 0;
  REQUIRE(::waitpid(server, &wait_status, 0) == server);
  CHECK(started);
  CHECK(wait_until([&] { return none_running(token); }, 5s));
}

std::string host_mounts() {
  std::ifstream mountinfo("/proc/self/mountinfo");
  return {std::istreambuf_iterator<char>(mountinfo), std::istreambuf_iterator<char>()};
}

TEST_CASE("sandbox: a finished run leaves no descriptor open in the caller and no mount on the host") {
  TempWorkspace workspace;
  const int before = open_fd_count();
  const std::string mounts_before = host_mounts();
  {
    auto process = make_linux_backend()->start(shell_spec(workspace, "echo hi"));
    run_to_end(*process);
  }
  {
    auto process = make_linux_backend()->start(shell_spec(workspace, "sleep 600"));
    process->kill();
  }
  auto missing_workspace = spec_in(workspace, {{"true"}});
  missing_workspace.policy.workspace = workspace.path() / "missing";
  CHECK_THROWS_AS(make_linux_backend()->start(missing_workspace), SandboxUnavailable);
  CHECK(open_fd_count() == before);
  CHECK(host_mounts() == mounts_before);
}

}  // namespace
}  // namespace airlock::sandbox::testing
