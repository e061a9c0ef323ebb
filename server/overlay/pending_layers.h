#pragma once

// A session's overlay layers waiting for review, by run id. Each holds its run's writes in memory (a tmpfs of up
// to the run's disk limit), so a session keeps at most kMaxPendingLayers: one more discards the oldest, with a
// log line. Dropping a layer frees it; nothing of it is ever on disk.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/overlay/layer.h"

namespace airlock::server::overlay {

class PendingLayers {
 public:
  static constexpr std::size_t kMaxPendingLayers = 32;

  void keep(std::string run_id, std::shared_ptr<Layer> layer);
  // Null when the run has no pending layer.
  Layer* find(std::string_view run_id) const;
  // False when the run had no pending layer.
  bool release(std::string_view run_id);
  std::size_t size() const { return layers_.size(); }

 private:
  std::vector<std::pair<std::string, std::shared_ptr<Layer>>> layers_;  // oldest first
};

}  // namespace airlock::server::overlay
