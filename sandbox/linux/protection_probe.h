#pragma once

// What protects a run on this host, found by trying it: each namespace alone, then a whole sandbox with no
// steps, which goes through every setup step a run does.

#include <optional>
#include <string>
#include <vector>

#include "sandbox/backend.h"

namespace airlock::sandbox::linux_backend {

// Why no sandbox can be started here, or nullopt when one was.
std::optional<std::string> try_empty_sandbox();

std::vector<ProtectionReport> probe_protections();

}  // namespace airlock::sandbox::linux_backend
