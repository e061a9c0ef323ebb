#pragma once

// A manual-reset event, not yet set: what every wait in the Windows backends needs (a stop, a read done, a run
// ended), since a set event must stay set for each waiter that looks. Throws WindowsError naming `what`.

#include "sandbox/windows/unique_handle.h"

namespace airlock::sandbox::windows {

UniqueHandle make_manual_reset_event(const char* what);

}  // namespace airlock::sandbox::windows
