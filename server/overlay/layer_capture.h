#pragma once

// The server's side of an overlay run while it runs: it notes when the run started and which workspace it saw,
// holds the layer the sandbox hands over, and once the sandbox is gone turns the layer into the run's changes.

#include <time.h>

#include <memory>
#include <string>
#include <vector>

#include "protocol/run_messages.h"
#include "sandbox/policy.h"
#include "sandbox/unique_fd.h"
#include "server/overlay/layer.h"

namespace airlock::server::overlay {

class LayerCapture {
 public:
  // Right before the sandbox is created: notes the start of the run and makes the run's steps wait until change
  // times are sure to fall after it (LaunchSpec::steps_wait_for_clock). Throws std::system_error when the
  // workspace cannot be opened.
  explicit LayerCapture(sandbox::LaunchSpec& spec);

  void hold(sandbox::UniqueFd upper) { upper_ = std::move(upper); }

  // Once every process of the sandbox is gone, so nothing writes to the layer any more: sets result.changes, says
  // in result.message what was left out, and turns a failed run whose layer is full into a disk limit. Returns the
  // layer to keep for review, or null when there is nothing to review.
  std::shared_ptr<Layer> collect(protocol::RunResult& result, std::int64_t disk_bytes);

 private:
  sandbox::UniqueFd workspace_;
  sandbox::UniqueFd upper_;
  timespec started_{};
  std::vector<std::string> protected_paths_;
};

}  // namespace airlock::server::overlay
