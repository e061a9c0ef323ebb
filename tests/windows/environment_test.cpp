#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "run_output.h"
#include "sandbox/windows/job_process.h"
#include "server/environment_merge.h"
#include "server/platform/sandbox_environment.h"
#include "test_helpers.h"

using namespace airlock;
using namespace airlock::sandbox::windows;
using namespace airlock::windows_tests;

namespace {

// The names of env as the program's environment holds them, in its order, one a line. Wine adds variables of its
// own (WINE*, SystemDrive); those are left out.
std::string names_seen(const server::Environment& env) {
  auto process = JobProcess::start({.argv = helper_argv("env-names"), .cwd = "C:\\", .env = env}, test_job_limits());
  const std::string all = exchange_stdio(*process, "").out;
  std::string given;
  for (std::size_t start = 0, end; (end = all.find('\n', start)) != std::string::npos; start = end + 1) {
    const std::string name = all.substr(start, end - start);
    const bool ours = std::any_of(env.begin(), env.end(), [&](const auto& variable) {
      return server::platform::same_variable_name(variable.first, name);
    });
    if (ours) given += name + "\n";
  }
  return given;
}

}  // namespace

TEST_CASE("windows environment: names are one variable whatever their case, by the system's own case table") {
  CHECK(server::platform::same_variable_name("Path", "PATH"));
  CHECK(server::platform::same_variable_name("\xC3\x84pfel", "\xC3\xA4PFEL"));  // Äpfel, äPFEL
  CHECK_FALSE(server::platform::same_variable_name("PATH", "PATHEXT"));
  CHECK_FALSE(server::platform::same_variable_name("PATH", "PAT"));
}

TEST_CASE("windows environment: a run in a Hyper-V utility VM starts from Linux's environment, names compared byte "
          "for byte, since its guest is Linux") {
  const server::Environment guest = server::platform::sandbox_base_environment(sandbox::Isolation::vm);
  CHECK(guest.front() == std::pair<std::string, std::string>{"PATH", "/usr/local/bin:/usr/bin:/bin"});
  CHECK(std::none_of(guest.begin(), guest.end(), [](const auto& variable) { return variable.first == "SystemRoot"; }));
  CHECK_FALSE(server::platform::variable_name_comparison(sandbox::Isolation::vm)("Path", "PATH"));
  CHECK(server::platform::variable_name_comparison(sandbox::Isolation::vm)("PATH", "PATH"));

  const server::Environment host = server::platform::sandbox_base_environment(sandbox::Isolation::process);
  CHECK(std::any_of(host.begin(), host.end(), [](const auto& variable) { return variable.first == "SystemRoot"; }));
  CHECK(server::platform::variable_name_comparison(sandbox::Isolation::process)("Path", "PATH"));
}

TEST_CASE("windows environment: a request's Path replaces the base PATH in the program's real environment") {
  const server::Environment env = server::merge_environment({{"PATH", "C:\\base"}, {"TEMP", "C:\\t"}},
                                                            {{"Path", "C:\\mine"}}, server::platform::same_variable_name);
  CHECK(names_seen(env) == "Path\nTEMP\n");
  auto process =
      JobProcess::start({.argv = helper_argv("env", {"PATH"}), .cwd = "C:\\", .env = env}, test_job_limits());
  CHECK(exchange_stdio(*process, "").out == "C:\\mine");
}

TEST_CASE("windows environment: the block is sorted by name as Windows wants, and two spellings are refused") {
  CHECK(names_seen({{"A0", "2"}, {"b", "3"}, {"A", "1"}}) == "A\nA0\nb\n");
  CHECK_THROWS_AS(JobProcess::start({.argv = helper_argv("env-names"), .cwd = "C:\\", .env = {{"PATH", "a"}, {"Path", "b"}}},
                                    test_job_limits()),
                  std::invalid_argument);
}
