#pragma once

// A stream connection from the guest to a service of the host (CID 2) over AF_VSOCK: the agent's channel and
// Hyper-V's Plan9 server are both reached this way.

#include <cstdint>
#include <string>

#include "sandbox/unique_fd.h"

namespace airlock::sandbox::vm::guest {

// Retries for up to 10 s while the vsock transport comes up (its module loads after the agent starts) or the
// connection is refused or times out (hcsshim's guest retries such time-outs too); any other failure is final.
// Throws GuestError naming the service.
UniqueFd connect_host_vsock(std::uint32_t port, const std::string& service);

}  // namespace airlock::sandbox::vm::guest
