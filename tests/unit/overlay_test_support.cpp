#include "overlay_test_support.h"

#include "sandbox/linux/linux_backend.h"
#include "server/overlay/layer_capture.h"

namespace airlock::sandbox::testing {

OverlayRun run_in_overlay(const TempWorkspace& workspace, const std::string& script, std::int64_t disk_bytes) {
  auto spec = shell_spec(workspace, script);
  spec.policy.workspace_mode = WorkspaceMode::overlay;
  spec.policy.limits.disk_bytes = disk_bytes;
  server::overlay::LayerCapture capture(spec);
  OverlayRun run;
  {
    auto process = make_linux_backend()->start(spec);
    capture.hold(process->take_overlay_layer());
    run.output = run_to_end(*process);
  }
  const bool ok = run.output.status.kind == ExitStatus::Kind::exited && run.output.status.code == 0;
  run.result.status = ok ? protocol::RunStatus::ok : protocol::RunStatus::failed;
  run.layer = capture.collect(run.result, disk_bytes);
  return run;
}

std::vector<std::string> describe_changes(const protocol::RunResult& result) {
  std::vector<std::string> described;
  for (const auto& change : result.changes) described.push_back(change.kind + " " + change.path);
  return described;
}

}  // namespace airlock::sandbox::testing
