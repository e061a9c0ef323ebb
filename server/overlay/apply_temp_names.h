#pragma once

// The temporary entries applying creates next to their targets before renaming them into place. A crash between
// the two leaves one behind; the next apply that uses the folder (or any apply, for the workspace's top folder)
// removes it, unless the process that made it still runs (another server may be applying to the same workspace).

#include <string>

namespace airlock::server::overlay {

// ".airlock-apply-<pid>-<n>": unique among this process's names; create it with O_EXCL all the same.
std::string make_apply_temp_name();

// Removes leftovers of dead processes (and of this one) in folder. Throws std::system_error.
void remove_stale_apply_temps(int folder);

}  // namespace airlock::server::overlay
