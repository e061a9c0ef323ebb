#include "server/overlay/layer.h"

#include <algorithm>

namespace airlock::server::overlay {

Layer::Layer(sandbox::UniqueFd upper, sandbox::UniqueFd workspace, timespec started,
             std::vector<std::string> protected_paths, std::vector<LayerChange> changes)
    : upper_(std::move(upper)),
      workspace_(std::move(workspace)),
      started_(started),
      protected_paths_(std::move(protected_paths)),
      changes_(std::move(changes)) {}

const LayerChange* Layer::find(std::string_view path) const {
  const auto found = std::lower_bound(changes_.begin(), changes_.end(), path,
                                      [](const LayerChange& change, std::string_view wanted) { return change.path < wanted; });
  return found != changes_.end() && found->path == path ? &*found : nullptr;
}

void Layer::forget(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  std::erase_if(changes_, [&](const LayerChange& change) {
    return std::binary_search(paths.begin(), paths.end(), change.path);
  });
}

}  // namespace airlock::server::overlay
