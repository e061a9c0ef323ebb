#pragma once

// One overlay run's layer, kept after the run until the client applies or discards it. It owns the descriptor of
// the layer (whose tmpfs lives exactly as long as that descriptor is open) and a descriptor of the workspace the
// run saw, so applying reaches that folder even if its path was renamed meanwhile.

#include <time.h>

#include <string>
#include <string_view>
#include <vector>

#include "sandbox/unique_fd.h"
#include "server/overlay/layer_change.h"

namespace airlock::server::overlay {

class Layer {
 public:
  // started: taken before the sandbox was created, such that a host entry whose ctime is not before it changed
  // during the run or later (layer_capture.cpp).
  Layer(sandbox::UniqueFd upper, sandbox::UniqueFd workspace, timespec started,
        std::vector<std::string> protected_paths, std::vector<LayerChange> changes);

  int upper() const { return upper_.get(); }
  int workspace() const { return workspace_.get(); }
  const timespec& started() const { return started_; }
  const std::vector<std::string>& protected_paths() const { return protected_paths_; }
  // Still pending, sorted by path.
  const std::vector<LayerChange>& changes() const { return changes_; }
  const LayerChange* find(std::string_view path) const;
  // Drops changes that were applied: they are no longer pending.
  void forget(std::vector<std::string> paths);

 private:
  sandbox::UniqueFd upper_;
  sandbox::UniqueFd workspace_;
  timespec started_;
  std::vector<std::string> protected_paths_;
  std::vector<LayerChange> changes_;
};

}  // namespace airlock::server::overlay
