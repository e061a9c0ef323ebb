#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "sandbox/linux/linux_backend.h"
#include "sandbox_test_support.h"

namespace airlock::sandbox::testing {
namespace {

std::int64_t nanoseconds_since_epoch(std::chrono::system_clock::time_point instant) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(instant.time_since_epoch()).count();
}

}  // namespace

// The program reads the precise clock as it starts: it must already be past the start chosen here, which lies
// further ahead than the sandbox's setup usually takes, and less far than the init is patient.
TEST_CASE("sandbox: the steps start only once the coarse clock has passed the run's start") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "date +%s%N");
  spec.policy.workspace_mode = WorkspaceMode::overlay;
  const auto start = std::chrono::system_clock::now() + std::chrono::milliseconds(60);
  spec.steps_wait_for_clock = start;
  const auto run = run_to_end(spec);
  REQUIRE(run.status.kind == ExitStatus::Kind::exited);
  CHECK(std::stoll(run.out) >= nanoseconds_since_epoch(start));
}

TEST_CASE("sandbox: a start the coarse clock does not reach soon fails the setup and says why") {
  TempWorkspace workspace;
  auto spec = shell_spec(workspace, "echo started");
  spec.policy.workspace_mode = WorkspaceMode::overlay;
  spec.steps_wait_for_clock = std::chrono::system_clock::now() + std::chrono::seconds(30);
  CHECK_THROWS_WITH_AS(make_linux_backend()->start(spec), doctest::Contains("system clock was probably set back"),
                       SandboxUnavailable);
}

}  // namespace airlock::sandbox::testing
