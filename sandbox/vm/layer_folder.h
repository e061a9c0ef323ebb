#pragma once

// Where an overlay run's layer lands on the host: a tmpfs of the run's disk size that no path reaches, only the
// returned descriptor. A short-lived child makes it in a user and mount namespace of its own (so an unprivileged
// server can too), with the new mount API, and hands the folder over; when the last descriptor closes, the
// kernel frees the tmpfs, so a server that exits or dies leaves nothing behind.

#include <cstdint>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm {

// Throws SandboxUnavailable naming the call that failed.
UniqueFd make_layer_folder(std::int64_t size_bytes);

}  // namespace airlock::sandbox::vm
