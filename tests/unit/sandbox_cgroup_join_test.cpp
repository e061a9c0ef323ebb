// The run's cgroups hold the whole run: the sandbox's init joins them itself, first thing after the clone, so its
// steps and everything they start are in them. Run as root and as an unprivileged user.

#include <doctest/doctest.h>
#include <unistd.h>

#include <sstream>
#include <string>

#include "sandbox/linux/cgroup_placement.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

// The line of /proc/<pid>/cgroup output for one controller ("memory", "pids"; "" for the cgroup v2 line).
std::string line_for(const std::string& cgroup_file, const std::string& controller) {
  std::istringstream lines(cgroup_file);
  for (std::string line; std::getline(lines, line);) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    if (line.substr(first + 1, second - first - 1) == controller) return line.substr(second + 1);
  }
  return "";
}

}  // namespace

TEST_CASE("sandbox: the init and the program it starts are in the run's own cgroups") {
  const auto& placement = linux_backend::cgroup_placement();
  TempWorkspace workspace;
  const auto result = run_to_end(shell_spec(workspace, "cat /proc/1/cgroup; echo ---; cat /proc/self/cgroup"));
  REQUIRE_MESSAGE(result.status.kind == ExitStatus::Kind::exited, result.err);
  const auto separator = result.out.find("---\n");
  REQUIRE(separator != std::string::npos);
  const std::string init = result.out.substr(0, separator);
  const std::string program = result.out.substr(separator + 4);
  // Seen from the sandbox's cgroup namespace, rooted at the server's own group: the run's group right below it.
  const std::string run_group = "/" + std::string(linux_backend::kRunCgroupPrefix) + std::to_string(::getpid()) + "-";
  for (const auto& test_case : {std::pair{"memory", &placement.memory}, std::pair{"pids", &placement.pids}}) {
    const auto& [name, controller] = test_case;
    CAPTURE(test_case.first);
    if (!controller->parent) {
      CHECK(init.find(run_group) == std::string::npos);
      continue;
    }
    const std::string key = controller->parent->version == linux_backend::CgroupVersion::v1 ? name : "";
    CHECK(line_for(init, key).starts_with(run_group));
    CHECK(line_for(program, key) == line_for(init, key));
  }
}

}  // namespace airlock::sandbox::testing
