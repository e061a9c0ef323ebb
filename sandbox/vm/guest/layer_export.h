#pragma once

// Sends an overlay run's layer to the host once the program has ended: every entry of the upper folder, parents
// before children, as layer_entry frames (a file's bytes follow as layer_data). Only what overlayfs itself puts
// there is sent: folders (opaque or not), regular files, symlinks and whiteouts; anything else is left out.

#include "sandbox/vm/guest/agent_port.h"

namespace airlock::sandbox::vm::guest {

// Throws GuestError.
void export_layer(AgentPort& port, int upper_folder);

}  // namespace airlock::sandbox::vm::guest
