#pragma once

// What an overlay run changed: its layer (overlayfs's upper folder) compared with the host's workspace. The layer
// is untrusted input: it is read through descriptors only, never through a symlink, bounded in entries, depth
// and path length, and an entry the host would not want applied is left out with the reason.
//
// Entries that changed nothing (a file opened for writing but left as it was, a touched folder) are not changes.
// A folder the run replaced (overlayfs marks it opaque) lists the host entries it drops as deleted.

#include <string>
#include <vector>

#include "server/overlay/layer_change.h"

namespace airlock::server::overlay {

struct LayerScan {
  std::vector<LayerChange> changes;  // sorted by path, so a folder comes before what it holds
  std::vector<std::string> left_out;  // "<path>: <why>", for entries that are never applied
};

// Throws std::system_error when the layer or the workspace cannot be read, std::length_error when the layer
// exceeds the bounds. Entries of the layer the server cannot read (the run removed their permissions) are made
// readable for the server's user; their recorded mode is the one the run gave them.
LayerScan scan_layer(int upper, int workspace, const std::vector<std::string>& protected_paths);

// Whether applying a change at path would write to a protected path or remove a folder that holds one.
bool touches_protected_path(const std::string& path, bool removes_host_folder,
                            const std::vector<std::string>& protected_paths);

// Names Airlock gives its own temporary files while applying; a run cannot create entries so named.
inline constexpr const char* kApplyTempPrefix = ".airlock-apply-";

}  // namespace airlock::server::overlay
