#pragma once

// Applying an overlay run's changes to the host's workspace. The layer and the workspace are reached only through
// descriptors (beneath.h): no symlink is ever followed, neither one the run made nor one the host has on the way,
// and nothing outside the workspace or on another mount is touched. Each file or symlink is written to a
// temporary name in its folder, synced, and renamed over its target, so an interrupted apply leaves every entry
// either as it was or as the run left it. Protected paths are never written.
//
// A change whose host entry changed since the run started (ctime at or after the start, or the entry differs
// from when the layer was scanned, appeared or vanished) is a conflict and is left alone.

#include <string>
#include <vector>

#include "protocol/overlay_messages.h"
#include "server/overlay/layer.h"

namespace airlock::server::overlay {

// paths: pending changes of the layer; others are ignored. The folders a chosen change needs that are themselves
// pending changes are applied with it and reported as applied.
protocol::ApplyChangesResult apply_changes(const Layer& layer, const std::vector<std::string>& paths);

}  // namespace airlock::server::overlay
