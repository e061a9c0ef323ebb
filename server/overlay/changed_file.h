#pragma once

// The run's version of one changed entry, read from its layer for sandbox/readChangedFile, so an editor can
// show a diff before applying.

#include <cstdint>

#include "protocol/overlay_messages.h"
#include "server/overlay/layer.h"

namespace airlock::server::overlay {

// Largest file whose content is returned.
inline constexpr std::int64_t kMaxChangedFileBytes = 16ll << 20;

// Throws std::length_error naming the size when a file is larger than kMaxChangedFileBytes, std::system_error
// when the layer cannot be read.
protocol::ReadChangedFileResult read_changed_file(const Layer& layer, const LayerChange& change);

}  // namespace airlock::server::overlay
