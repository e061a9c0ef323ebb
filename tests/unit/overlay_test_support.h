#pragma once

// Overlay layers for the tests, made the real way: a Linux sandbox in overlay mode runs a shell script over a
// temporary workspace, and the server's LayerCapture turns the layer it hands over into changes.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "protocol/run_messages.h"
#include "sandbox_test_support.h"
#include "server/overlay/layer.h"

namespace airlock::sandbox::testing {

struct OverlayRun {
  RunOutput output;
  protocol::RunResult result;  // status ok or failed, changes and notes as the server fills them
  std::shared_ptr<server::overlay::Layer> layer;  // null when the run changed nothing
};

OverlayRun run_in_overlay(const TempWorkspace& workspace, const std::string& script,
                          std::int64_t disk_bytes = 64ll << 20);

// "kind path" per change, in the layer's order.
std::vector<std::string> describe_changes(const protocol::RunResult& result);

}  // namespace airlock::sandbox::testing
