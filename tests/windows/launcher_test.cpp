#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "run_output.h"
#include "sandbox/windows/job_process.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"
#include "test_helpers.h"

using namespace airlock::sandbox;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

namespace {

std::string temp_folder() {
  wchar_t path[MAX_PATH];
  const DWORD length = ::GetTempPathW(MAX_PATH, path);
  std::string folder = to_utf8(std::wstring_view(path, length));
  if (folder.size() > 3 && folder.back() == '\\') folder.pop_back();
  return folder;
}

// Waits and polls as the server does, through every step of the run.
ExitStatus wait_for_end(Process& process) {
  for (;;) {
    REQUIRE(::WaitForSingleObject(process.wait_fd(), 20000) == WAIT_OBJECT_0);
    if (const auto status = process.poll()) return *status;
  }
}

std::vector<ProcessLaunch> steps(const std::vector<std::vector<std::string>>& helpers) {
  std::vector<ProcessLaunch> launches;
  for (const auto& helper : helpers)
    launches.push_back({.argv = helper_argv(helper.front(), {helper.begin() + 1, helper.end()}), .cwd = temp_folder()});
  return launches;
}

}  // namespace

TEST_CASE("windows launcher: stdin, stdout and exit code over overlapped pipes driven by Boost.Asio") {
  auto process = JobProcess::start({.argv = helper_argv("cat"), .cwd = temp_folder()}, test_job_limits());
  std::string input;
  for (int i = 0; i < 20000; ++i) input += "line " + std::to_string(i) + "\n";  // more than the pipe buffers hold
  const RunOutput output = exchange_stdio(*process, input);
  CHECK(output.out == input);
  CHECK(output.err.empty());
  const ExitStatus status = wait_for_end(*process);
  CHECK(status.kind == ExitStatus::Kind::exited);
  CHECK(status.code == 0);
}

TEST_CASE("windows launcher: arguments arrive exactly as given, through the child's own argv parsing") {
  const std::vector<std::string> args{"plain", "two words", "", "quote\"inside", "back\\slash", "trailing\\",
                                      "trailing space\\", "\\\\\"", "tab\tand\nnewline", "caf\xC3\xA9 \xE2\x82\xAC"};
  auto process = JobProcess::start({.argv = helper_argv("print-args", args), .cwd = temp_folder()}, test_job_limits());
  const RunOutput output = exchange_stdio(*process, "");
  std::vector<std::string> received;
  for (std::size_t start = 0, end; (end = output.out.find('\0', start)) != std::string::npos; start = end + 1)
    received.push_back(output.out.substr(start, end - start));
  CHECK(received == args);
  CHECK(wait_for_end(*process).code == 0);
}

TEST_CASE("windows launcher: the environment is exactly the given one, and the working folder is set") {
  auto with_env = JobProcess::start(
      {.argv = helper_argv("env", {"AIRLOCK_PROBE"}), .cwd = temp_folder(), .env = {{"AIRLOCK_PROBE", "v=1 \xC3\xA9"}}},
      test_job_limits());
  CHECK(exchange_stdio(*with_env, "").out == "v=1 \xC3\xA9");
  auto without = JobProcess::start({.argv = helper_argv("env", {"PATH"}), .cwd = temp_folder()}, test_job_limits());
  CHECK(exchange_stdio(*without, "").out == "<unset>");
  auto cwd = JobProcess::start({.argv = helper_argv("cwd"), .cwd = temp_folder()}, test_job_limits());
  CHECK(exchange_stdio(*cwd, "").out == temp_folder());
}

TEST_CASE("windows launcher: exit codes and launch errors") {
  auto process = JobProcess::start({.argv = helper_argv("exit", {"42"}), .cwd = temp_folder()}, test_job_limits());
  exchange_stdio(*process, "");
  CHECK(wait_for_end(*process).code == 42);
  CHECK_THROWS_WITH_AS(JobProcess::start({.argv = {"C:\\no\\such\\program.exe"}, .cwd = temp_folder()}, test_job_limits()),
                       doctest::Contains("CreateProcessW(C:\\no\\such\\program.exe) failed"), WindowsError);
  CHECK_THROWS_WITH_AS(JobProcess::start({.argv = {"build.bat", "x"}, .cwd = temp_folder()}, test_job_limits()),
                       doctest::Contains("batch file"), std::invalid_argument);
  CHECK_THROWS_AS(environment_block({{"A=B", "c"}}), std::invalid_argument);
}

TEST_CASE("windows launcher: the steps of a run follow one another on the same output, until one fails") {
  auto process = JobProcess::start(steps({{"print-args", "first"}, {"print-args", "second"}}), test_job_limits());
  const DWORD first = process->pid();
  const ExitStatus status = wait_for_end(*process);
  CHECK(status.kind == ExitStatus::Kind::exited);
  CHECK(status.code == 0);
  CHECK(process->pid() != first);
  CHECK(exchange_stdio(*process, "").out == std::string("first\0second\0", 13));

  auto failing = JobProcess::start(steps({{"exit", "3"}, {"print-args", "never"}}), test_job_limits());
  CHECK(wait_for_end(*failing).code == 3);
  CHECK(exchange_stdio(*failing, "").out.empty());
}

TEST_CASE("windows launcher: a step that cannot start ends the run as a setup failure, naming the step") {
  std::vector<ProcessLaunch> launches = steps({{"exit", "0"}});
  launches.push_back({.argv = {"C:\\no\\such\\program.exe"}, .cwd = temp_folder()});
  auto process = JobProcess::start(std::move(launches), test_job_limits());
  const ExitStatus status = wait_for_end(*process);
  CHECK(status.kind == ExitStatus::Kind::setup_failed);
  CHECK(status.message.find("step 2 could not start") != std::string::npos);
  CHECK(status.message.find("program.exe") != std::string::npos);
}

TEST_CASE("windows launcher: the environment block is sorted case-insensitively and double-NUL terminated") {
  CHECK(environment_block({{"b", "2"}, {"A", "1"}, {"c", "3"}}) == std::wstring(L"A=1\0b=2\0c=3\0\0", 13));
  CHECK(environment_block({}) == std::wstring(L"\0\0", 2));
}
