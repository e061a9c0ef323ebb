// policy.workspace in an execute request: overlay unless the request names another mode; unknown names refused.

#include <doctest/doctest.h>

#include <filesystem>

#include "sandbox_test_support.h"
#include "server/request_error.h"
#include "server/run_plan.h"

namespace airlock::sandbox::testing {
namespace {

sandbox::WorkspaceMode mode_for(const TempWorkspace& workspace, std::optional<std::string> mode) {
  protocol::ExecuteParams params{.workspaceFolder = workspace.path().string(),
                                 .command = std::vector<std::string>{"true"}};
  if (mode) params.policy = protocol::ExecutePolicy{.workspace = mode};
  return server::plan_run(params, server::ServerConfig{}).spec.policy.workspace_mode;
}

TEST_CASE("overlay: the workspace mode is overlay unless the request names another") {
  TempWorkspace workspace;
  CHECK(mode_for(workspace, std::nullopt) == WorkspaceMode::overlay);
  CHECK(mode_for(workspace, "overlay") == WorkspaceMode::overlay);
  CHECK(mode_for(workspace, "readonly") == WorkspaceMode::readonly);
  CHECK(mode_for(workspace, "readwrite") == WorkspaceMode::readwrite);
  CHECK_THROWS_WITH_AS(mode_for(workspace, "scratch"),
                       "params.policy.workspace: expected \"readonly\", \"overlay\" or \"readwrite\"",
                       server::RequestError);
}

}  // namespace
}  // namespace airlock::sandbox::testing
