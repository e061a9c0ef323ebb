#include "server/overlay/pending_layers.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace airlock::server::overlay {

void PendingLayers::keep(std::string run_id, std::shared_ptr<Layer> layer) {
  release(run_id);
  if (layers_.size() == kMaxPendingLayers) {
    spdlog::warn("discarding the overlay changes of run {}: a session keeps at most {} runs' changes for review",
                 layers_.front().first, kMaxPendingLayers);
    layers_.erase(layers_.begin());
  }
  layers_.emplace_back(std::move(run_id), std::move(layer));
}

Layer* PendingLayers::find(std::string_view run_id) const {
  const auto found = std::find_if(layers_.begin(), layers_.end(), [&](const auto& entry) { return entry.first == run_id; });
  return found != layers_.end() ? found->second.get() : nullptr;
}

bool PendingLayers::release(std::string_view run_id) {
  return std::erase_if(layers_, [&](const auto& entry) { return entry.first == run_id; }) > 0;
}

}  // namespace airlock::server::overlay
