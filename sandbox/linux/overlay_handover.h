#pragma once

// Handing an overlay run's layer from the sandbox's init to the server: the init sends the descriptor of the
// layer's upper folder over the lifeline socket (SCM_RIGHTS) before it reports ready, and the server receives it
// once the ready report has come. Holding that descriptor keeps the layer's tmpfs alive after the sandbox's mount
// namespace is gone; closing it frees the layer, so a server that exits or dies leaves nothing on disk.

#include "sandbox/linux/child_failure.h"
#include "sandbox/unique_fd.h"

namespace airlock::sandbox::linux_backend {

// Inside, without allocating.
bool hand_over_layer(int socket, const UniqueFd& layer, ChildFailure& failure);

// Outside, after the ready report: the layer must be waiting on the socket by then. Throws SandboxUnavailable
// when it is not, or when what came is not a folder on a tmpfs.
UniqueFd receive_layer(int socket);

}  // namespace airlock::sandbox::linux_backend
