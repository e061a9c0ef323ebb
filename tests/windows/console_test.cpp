#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "run_output.h"
#include "sandbox/windows/job_process.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;
using namespace std::chrono_literals;

namespace {

// Under Wine 8 a program started on a pseudoconsole gets null standard handles (with STARTF_USESTDHANDLES, as
// airlock starts it; without it, the parent's), never its console's as on Windows, and this test executable hangs
// before main there. cmd.exe runs and reaches the console through CONIN$ and CONOUT$, so the tests that run under
// Wine talk to cmd.exe that way.
constexpr const char* kStdHandlesOnConsole =
    "needs a real Windows host: under Wine 8 a program on a pseudoconsole gets no console standard handles";

constexpr const char* kCmd = "C:\\Windows\\System32\\cmd.exe";

std::unique_ptr<JobProcess> start_on_console(std::vector<std::string> argv) {
  return JobProcess::start({.argv = std::move(argv), .cwd = "C:\\"}, test_job_limits(), RunStdio::console);
}

ExitStatus wait_for_exit(Process& process) {
  for (;;) {
    REQUIRE(::WaitForSingleObject(process.wait_fd(), 20000) == WAIT_OBJECT_0);
    if (const auto status = process.poll()) return *status;
  }
}

}  // namespace

TEST_CASE("windows console: a prompt comes out of the pseudoconsole, typed input reaches the program with its echo, "
          "and the output ends when the run does") {
  auto process = start_on_console(
      {kCmd, "/d", "/v:on", "/c", "set /p NAME=name? <CONIN$ >CONOUT$ & echo hello !NAME!>CONOUT$"});
  Conversation user(*process);
  // The console renders the prompt's trailing space as a cursor move.
  REQUIRE_MESSAGE(user.wait_for("name?", 20s), "shown: " << user.shown());
  REQUIRE(user.type("ada\n"));
  REQUIRE_MESSAGE(user.wait_for("hello ada", 20s), "shown: " << user.shown());
  // The console echoes what is typed before the program answers, as a terminal does.
  CHECK(user.shown().find("ada") < user.shown().find("hello ada"));
  CHECK(user.shown().find("\x1b[") != std::string::npos);  // a screen in VT sequences, not the program's bytes
  const ExitStatus status = wait_for_exit(*process);
  CHECK(status.kind == ExitStatus::Kind::exited);
  CHECK(status.code == 0);
  CHECK_MESSAGE(user.wait_for_end(20s), "the console's output did not end after the run");
  CHECK(user.errors().empty());
}

TEST_CASE("windows console: kill ends the whole tree on the console, and the console's output ends with it") {
  // cmd.exe starts a second cmd.exe that waits for a line that never comes.
  auto process = start_on_console(
      {kCmd, "/d", "/c", "echo waiting>CONOUT$ & C:\\Windows\\System32\\cmd.exe /d /c set /p LINE=<CONIN$"});
  Conversation user(*process);
  REQUIRE_MESSAGE(user.wait_for("waiting", 20s), "shown: " << user.shown());
  process->kill();
  const ExitStatus status = wait_for_exit(*process);
  CHECK(status.kind == ExitStatus::Kind::signaled);
  process->job().wait_until_empty(10000);
  CHECK(process->job().active_processes() == 0);
  CHECK_MESSAGE(user.wait_for_end(20s), "the console's output did not end after kill");
}

TEST_CASE("windows console: a program on the console has it as its standard handles; what it writes to stderr comes "
          "out of stdout; Ctrl+Z Enter typed for end of input is end of file for it" *
          doctest::skip(running_under_wine()) * doctest::description(kStdHandlesOnConsole)) {
  auto process = start_on_console(helper_argv("prompt"));
  Conversation user(*process);
  REQUIRE_MESSAGE(user.wait_for("name?", 20s), "shown: " << user.shown());
  CHECK(user.shown().find("stdin: console, stdout: console") != std::string::npos);
  CHECK(user.shown().find("said on stderr") != std::string::npos);
  REQUIRE(user.type("ada\n"));
  REQUIRE_MESSAGE(user.wait_for("hello ada", 20s), "shown: " << user.shown());
  REQUIRE(user.type("one\r\ntwo\n"));
  user.end_input();
  REQUIRE_MESSAGE(user.wait_for("end of input after 2 more lines", 20s), "shown: " << user.shown());
  CHECK(wait_for_exit(*process).code == 0);
  CHECK(user.wait_for_end(20s));
  CHECK(user.errors().empty());
}

TEST_CASE("windows console: a run without interactive keeps plain pipes, stdout and stderr apart") {
  auto process = JobProcess::start({.argv = helper_argv("prompt"), .cwd = "C:\\"}, test_job_limits());
  Conversation user(*process);
  REQUIRE(user.type("ada\n"));
  user.end_input();
  REQUIRE(user.wait_for_end(20s));
  CHECK(user.shown() == "stdin: pipe, stdout: pipe\nname? hello ada\nend of input after 0 more lines\n");
  CHECK(user.errors() == "said on stderr\n");
  CHECK(wait_for_exit(*process).code == 0);
}
