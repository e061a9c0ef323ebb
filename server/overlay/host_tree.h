#pragma once

// Folder trees of the host's workspace that applying an overlay run replaces or deletes. They are walked through
// descriptors and never through a symlink (a symlink inside is removed as a link, its target untouched), and
// the walk is bounded in depth and size.

#include <time.h>

#include <string>

namespace airlock::server::overlay {

// Whether nothing at or below `name` in `folder` changed (ctime) at or after `since`. A tree too deep or too big
// to check counts as changed.
bool tree_unchanged_since(int folder, const std::string& name, const timespec& since);

// Removes `name` in `folder` with everything below it. Throws std::system_error naming the entry that failed.
void remove_tree(int folder, const std::string& name);

bool changed_since(const timespec& changed, const timespec& since);

}  // namespace airlock::server::overlay
